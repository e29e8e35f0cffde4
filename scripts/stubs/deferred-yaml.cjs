// YAML is written only for `-o yaml` and `install --dry-run`; loading the library costs ~3 ms of
// every start. This tool uses stringify alone: what else it comes to use is added here.
module.exports = {
  stringify: (...args) => require('yaml').stringify(...args),
};
