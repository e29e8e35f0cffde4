// client-node's OIDC auth provider imports openid-client (and oauth4webapi) at start-up; only a
// kubeconfig user with an oidc auth-provider refreshes tokens through it. Loaded on first use.
module.exports = {
  discovery: (...args) => require('openid-client').discovery(...args),
  refreshTokenGrant: (...args) => require('openid-client').refreshTokenGrant(...args),
  get customFetch() {
    return require('openid-client').customFetch;
  },
};
