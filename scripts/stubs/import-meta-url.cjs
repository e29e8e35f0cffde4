// import.meta.url for ESM-only dependencies bundled as CommonJS.
export const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;
