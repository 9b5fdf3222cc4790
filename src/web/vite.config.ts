import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** The Ripen server `npm run dev` proxies to (start it first: `npm run ripen -- serve`). */
const server = process.env.RIPEN_SERVER ?? 'http://127.0.0.1:3030';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  publicDir: false,
  build: {
    outDir: fileURLToPath(new URL('../../dist/web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // Every built file lives under /assets/ with a content hash, so the server can cache it for a year.
    assetsDir: 'assets',
    reportCompressedSize: false,
  },
  server: {
    proxy: { '/api': { target: server, changeOrigin: false }, '/v1': server, '/docs': server },
  },
});
