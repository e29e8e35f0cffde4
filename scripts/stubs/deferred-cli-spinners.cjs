// oclif's action spinner imports the table of spinners (a large JSON) at load; this tool draws
// its own progress and never starts that spinner. A spinner asked for is read from the real table.
module.exports = new Proxy(
  {},
  {
    // __esModule is asked by the importer's interop helper, before any spinner: answering it
    // from here keeps the table unloaded until one is used.
    get: (_target, key) => (key === '__esModule' ? undefined : require('cli-spinners')[key]),
  },
);
