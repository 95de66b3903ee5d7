import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { compressPlugin } from './scripts/vite-compress.ts';

const root = fileURLToPath(new URL('./src/web', import.meta.url));
const outDir = fileURLToPath(new URL('./dist/web', import.meta.url));
const api = process.env.VITE_API_TARGET ?? 'http://localhost:3000';

export default defineConfig({
  root,
  plugins: [react(), compressPlugin()],
  build: {
    outDir,
    emptyOutDir: true,
    // The server's CSP allows only 'self' scripts: no inline module preload polyfill.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    // No public source maps: the server would hand the original source to anyone who asks.
    sourcemap: false,
    // scripts/bundle-size.mjs reads which chunks a first visit loads from the manifest.
    manifest: true,
    chunkSizeWarningLimit: 1000,
  },
  server: {
    proxy: {
      '/api': api,
      '/healthz': api,
      '/readyz': api,
    },
  },
});
