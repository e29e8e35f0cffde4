// oclif's plugin loader imports minimatch to filter plugin names, which a run of this tool never
// does (it has no plugins); it is loaded only if called.
module.exports = {
  minimatch: (...args) => require('minimatch').minimatch(...args),
};
