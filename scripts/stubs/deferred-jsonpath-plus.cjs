// client-node's Azure and GCP auth providers read tokens out of a helper command's output with
// jsonpath-plus; only kubeconfig users with those auth providers need it. Loaded on first use.
module.exports = {
  JSONPath: (...args) => require('jsonpath-plus').JSONPath(...args),
};
