// YAML is written only for `-o yaml` and `install --dry-run`; loading the library costs ~3 ms of
// every start.
module.exports = {
  stringify: (...args) => require('yaml').stringify(...args),
};
