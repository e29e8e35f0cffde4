// oclif's plugin loader imports tinyglobby to find command files, which a run of this tool never
// does (its commands are listed in code); it is loaded only if called.
module.exports = {
  glob: (...args) => require('tinyglobby').glob(...args),
  globSync: (...args) => require('tinyglobby').globSync(...args),
};
