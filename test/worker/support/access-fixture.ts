/** What test/support/access-server.ts (the stand-in Access team) hands the worker tests through `provide('access')`. */
export interface AccessFixture {
  teamDomain: string;
  aud: string;
  kid: string;
  /** The signing key, a JWK with `kid` and `alg: RS256`. */
  privateJwk: { kid: string; alg: 'RS256'; n: string } & Record<string, unknown>;
}

declare module 'vitest' {
  export interface ProvidedContext {
    access: AccessFixture;
  }
}
