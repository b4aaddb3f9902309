import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';

/**
 * zod/mini for every schema a Lambda bundle reaches: the same parser and issues as classic zod
 * at a sixth of the bundle size. Mini loads no locale, so its issues would all read
 * "Invalid input"; the English messages classic zod registers are registered here, before any
 * schema that imports this module can parse.
 */
z.config(en());

export * from 'zod/mini';
