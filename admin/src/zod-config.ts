// Imported first by main.tsx. The admin's CSP has no 'unsafe-eval': tell zod not to probe for
// `new Function` (a strict CSP reports even a caught attempt) and to validate without its JIT.
import { z } from 'zod';

z.config({ jitless: true });
