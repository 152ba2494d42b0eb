#!/usr/bin/env node
// The `strongroom` command: Node (>= 22.18) runs the TypeScript sources directly by type stripping.
import '../src/main.ts';
