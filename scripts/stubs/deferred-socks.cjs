// @kubernetes/client-node and the SOCKS agent import the SOCKS client (and its IP address
// library, ~5 ms of every start) for kubeconfigs whose proxy-url is socks5://; both use only
// SocksClient.createConnection, and the library is loaded when that is called.
module.exports = {
  SocksClient: {
    createConnection: (...args) => require('socks').SocksClient.createConnection(...args),
  },
};
