// One ES module for the widget (the 3D viewer is a separate, lazily loaded chunk);
// public/ (the demo storefront) is copied next to it.
import { defineConfig } from "vite";

export default defineConfig({
  root: __dirname,
  build: {
    outDir: "dist",
    emptyOutDir: true,
    lib: { entry: "src/atelier-widget.js", formats: ["es"], fileName: () => "atelier-widget.js" },
    rollupOptions: { output: { chunkFileNames: "chunks/[name]-[hash].js" } },
  },
});
