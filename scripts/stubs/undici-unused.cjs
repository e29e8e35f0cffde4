// @kubernetes/client-node imports undici for its fetch-based API clients and their proxy
// dispatchers. kubectl-backup only reads kubeconfigs with it and makes its own requests over
// node:http/https, so undici (0.7 MB of the bundle, ~30 ms of every start) is left out. Any use
// fails loudly rather than quietly doing something else.
class LeftOut {
  constructor() {
    throw new Error('undici is left out of the kubectl-backup executable');
  }
}
module.exports = {
  Agent: LeftOut,
  ProxyAgent: LeftOut,
  fetch() {
    throw new Error('undici is left out of the kubectl-backup executable');
  },
};
