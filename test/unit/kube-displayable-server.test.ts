import assert from 'node:assert/strict';
import { displayableServer } from '../../src/kube/displayable-server.js';

describe('displayableServer (the API server URL records, logs and messages show)', () => {
  it('leaves a URL without user information as the kubeconfig wrote it', () => {
    for (const url of ['https://127.0.0.1:6443', 'https://127.0.0.1:6443/', 'https://rancher.example/k8s/clusters/c-1', 'http://[::1]:8080']) {
      assert.equal(displayableServer(url), url);
    }
  });

  it('drops the user name, password, query and fragment, keeping host, port and path', () => {
    assert.equal(displayableServer('https://admin:PASSW0RD@127.0.0.1:6443'), 'https://127.0.0.1:6443');
    assert.equal(displayableServer('https://admin:pa%2Fss@[::1]:6443/k8s/c-1?token=x#y'), 'https://[::1]:6443/k8s/c-1');
    assert.equal(displayableServer('https://token@cluster.example'), 'https://cluster.example');
    assert.equal(displayableServer('https://cluster.example:6443/?token=x'), 'https://cluster.example:6443');
  });

  it('shows no part of what is not a URL but may hold user information', () => {
    assert.equal(displayableServer('admin:se/cret@cluster'), '<invalid server URL>');
    assert.equal(displayableServer('not a url'), 'not a url');
  });
});
