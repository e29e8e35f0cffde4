// @kubernetes/client-node imports the SOCKS agent for kubeconfigs whose proxy-url is socks5://;
// it is loaded when one is.
module.exports = {
  SocksProxyAgent: function SocksProxyAgent(uri, options) {
    const { SocksProxyAgent: Agent } = require('socks-proxy-agent');
    return new Agent(uri, options);
  },
};
