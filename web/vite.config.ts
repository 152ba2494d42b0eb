import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Run from the repository root (`npm run build:web`); paths are resolved from this file, not the cwd.
const webRoot = fileURLToPath(new URL('.', import.meta.url));

// The dev server talks to a locally running Strongroom; its certificate is self-signed, hence secure: false.
// STRONGROOM_DEV_BACKEND points it elsewhere (e.g. a server started with STRONGROOM_PORT=9443).
const backend = {
  target: process.env.STRONGROOM_DEV_BACKEND ?? 'https://127.0.0.1:8443',
  secure: false,
  changeOrigin: false,
};

export default defineConfig({
  root: webRoot,
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
  },
  server: {
    proxy: {
      '/api': backend,
      '/healthz': backend,
    },
  },
});
