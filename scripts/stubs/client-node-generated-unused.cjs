// @kubernetes/client-node's KubeConfig imports its generated API clients (hundreds of model
// classes) only for makeApiClient(). kubectl-backup reads kubeconfigs with KubeConfig and makes
// its own requests, so the generated code is left out: ~30 ms of every cluster command's
// start-up. Any use fails loudly.
function leftOut() {
  throw new Error("@kubernetes/client-node's generated API clients are left out of the kubectl-backup executable");
}
class ServerConfiguration {
  constructor() {
    leftOut();
  }
}
module.exports = { createConfiguration: leftOut, ServerConfiguration };
