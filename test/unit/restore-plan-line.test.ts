import assert from 'node:assert/strict';
import { formatPlanLine } from '../../src/restore/restore-plan.js';

describe('restore --dry-run plan lines', () => {
  it('prints the action, the resource and the item in columns', () => {
    assert.equal(formatPlanLine({ action: 'create', resource: 'configmaps', namespace: 'shop', name: 'settings' }), `${'create'.padEnd(22)} ${'configmaps'.padEnd(40)} shop/settings`);
    assert.equal(formatPlanLine({ action: 'skip (exists)', resource: 'namespaces', namespace: undefined, name: 'shop', detail: 'differs' }), `${'skip (exists)'.padEnd(22)} ${'namespaces'.padEnd(40)} shop  (differs)`);
  });

  it('keeps control characters and line breaks of names from the archive off the terminal', () => {
    const line = formatPlanLine({ action: 'create', resource: 'config\u001bmaps', namespace: 'shop\u009b2J', name: 'e0\u001b[2J\u001b[31mRED\ncreate  fake', detail: 'x\u0007' });
    // eslint-disable-next-line no-control-regex
    assert.ok(!/[\u0000-\u001f\u007f-\u009f]/.test(line), JSON.stringify(line));
    assert.match(line, /shop\uFFFD2J\/e0\uFFFD\[2J\uFFFD\[31mRED create {2}fake {2}\(x\uFFFD\)$/);
  });
});
