import { z } from 'zod';
import { SafeUrl } from './primitives';

/**
 * What a variant puts into a slot. Everything except `html` reaches the page as text;
 * `html` is passed through the allowlist sanitizer on the edge before it is sent.
 * Text fields may carry tokens such as `{{account.name|your team}}`.
 */
const Text = z.string().max(2000);

export const TextContent = z.object({ type: z.literal('text'), text: Text });
export const LinkContent = z.object({ type: z.literal('link'), text: Text, href: SafeUrl });
export const ImageContent = z.object({ type: z.literal('image'), src: SafeUrl, alt: Text });
export const ProofPoint = z.object({
  logo: SafeUrl.optional(),
  quote: Text.optional(),
  author: Text.optional(),
  stat: z.string().max(120).optional(),
  label: z.string().max(200).optional(),
});
export const ProofContent = z.object({ type: z.literal('proof'), items: z.array(ProofPoint).min(1).max(12) });
export const HtmlContent = z.object({ type: z.literal('html'), html: z.string().max(20_000) });

export const Content = z.discriminatedUnion('type', [TextContent, LinkContent, ImageContent, ProofContent, HtmlContent]);
export type Content = z.infer<typeof Content>;
export type ProofPoint = z.infer<typeof ProofPoint>;
export const ContentType = z.enum(['text', 'link', 'image', 'proof', 'html']);
export type ContentType = z.infer<typeof ContentType>;
