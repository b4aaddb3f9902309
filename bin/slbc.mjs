#!/usr/bin/env node
// `npx slbc`: runs the TypeScript CLI under plain node through tsx's ESM loader (a dependency
// installed by `npm ci`), so there is no build step to forget and the source is what runs.
import { register } from 'tsx/esm/api';

register();
await import('../infra/cli/main.ts');
