// `debug` prints only for namespaces that DEBUG names; loading it costs ~7 ms of every start
// (oclif's logger loads it). Without DEBUG, every logger it would make is silent: these are.
if (process.env.DEBUG) {
  module.exports = require('debug');
} else {
  const silent = (namespace) => {
    const log = () => undefined;
    log.namespace = namespace;
    log.enabled = false;
    log.extend = (name, delimiter = ':') => silent(`${namespace}${delimiter}${name}`);
    log.log = () => undefined;
    log.destroy = () => true;
    return log;
  };
  module.exports = Object.assign(silent, { enabled: () => false, enable: () => undefined, disable: () => '', names: [], skips: [] });
}
