import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

// Vue leaves every tsy-* tag to the browser's custom element registry instead of resolving a Vue component.
export default defineConfig({ plugins: [vue({ template: { compilerOptions: { isCustomElement: (tag) => tag.startsWith('tsy-') } } })] });
