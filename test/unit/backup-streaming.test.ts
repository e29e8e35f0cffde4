import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { ResultsCollector } from '../../src/backup/backup-results.js';
import { listPages } from '../../src/backup/collection-lister.js';
import { ListPosition } from '../../src/backup/list-position.js';
import { mergeByName } from '../../src/backup/merge-by-name.js';
import { PageChannel } from '../../src/backup/page-channel.js';
import { ResourceListWriter } from '../../src/backup/resource-list-writer.js';
import { runTypePipeline } from '../../src/backup/type-pipeline.js';
import { KubeApiError } from '../../src/kube/api-error.js';
import type { KubeClient, KubeRequest } from '../../src/kube/client.js';
import type { KubeObject } from '../../src/kube/types.js';
import { LogProgress } from '../../src/progress/log-progress.js';
import { MemoryLogger } from '../builders/backup-run.js';

const obj = (namespace: string, name: string): KubeObject => ({ metadata: { namespace, name } });

async function* pages(...lists: string[][]): AsyncGenerator<KubeObject[]> {
  for (const list of lists) yield list.map((name) => obj('ns', name));
}

describe('backup streaming parts', () => {
  describe('ListPosition (410 relists)', () => {
    it('skips what a previous pass took, whichever order the server gives namespaces in', () => {
      for (const order of [['a', 'a-b', 'b'], ['a-b', 'a', 'b']]) {
        const position = new ListPosition();
        position.take(obj(order[0]!, 'x'));
        position.take(obj(order[0]!, 'y'));
        position.take(obj(order[1]!, 'm'));
        assert.ok(position.taken(obj(order[0]!, 'z')), 'a finished namespace is taken whole');
        assert.ok(position.taken(obj(order[1]!, 'a')));
        assert.ok(position.taken(obj(order[1]!, 'm')));
        assert.ok(!position.taken(obj(order[1]!, 'n')));
        assert.ok(!position.taken(obj(order[2]!, 'a')));
      }
    });

    it('compares names as the server orders them, by UTF-8 bytes: after `r！`, `r😀` is still to come', () => {
      const position = new ListPosition();
      position.take(obj('ns', 'ra'));
      position.take(obj('ns', 'r！'));
      assert.ok(position.taken(obj('ns', 'ra')));
      assert.ok(position.taken(obj('ns', 'r！')));
      assert.ok(!position.taken(obj('ns', 'r😀')), 'U+1F600 comes after U+FF01 in bytes, before it in UTF-16 code units');
      position.take(obj('ns', 'r😀'));
      assert.ok(position.taken(obj('ns', 'r😀')));
    });
  });

  describe('listPages', () => {
    it('sorts an unpaginated list as a paginated one comes: namespace/name as bytes, so "a-b/x" before "a/x"', async () => {
      const served = [obj('a-b', 'x'), obj('a', 'y'), obj('a', 'b-1'), obj('b', 'a')];
      const client: KubeClient = {
        server: 'https://test',
        json: <T>() => Promise.resolve({ items: served } as T),
        stream: () => Promise.reject(new Error('not used')),
      };
      const names: string[] = [];
      for await (const page of listPages(client, { path: '/api/v1/configmaps' }, { pageSize: 0 })) {
        names.push(...page.items.map((o) => `${o.metadata?.namespace}/${o.metadata?.name}`));
      }
      assert.deepEqual(names, ['a-b/x', 'a/b-1', 'a/y', 'b/a']);
    });
  });

  describe('listPages prefetch', () => {
    /** A client that serves pages of two names, by continue token, and records what it was asked. */
    function pagedClient(names: string[], goneOnce?: string): { client: KubeClient; asked: (string | undefined)[] } {
      const asked: (string | undefined)[] = [];
      let gone = goneOnce;
      const client: KubeClient = {
        server: 'https://test',
        json: <T>(req: { query?: Record<string, unknown> }) => {
          const token = req.query?.continue as string | undefined;
          asked.push(token);
          if (token !== undefined && token === gone) {
            gone = undefined;
            return Promise.reject(new KubeApiError(410, 'GET', '/api/v1/configmaps', { reason: 'Expired', message: 'too old' }));
          }
          const start = token === undefined ? 0 : Number(token);
          const items = names.slice(start, start + 2).map((name) => obj('ns', name));
          const next = start + 2 < names.length ? String(start + 2) : undefined;
          return Promise.resolve({ items, metadata: next === undefined ? {} : { continue: next } } as T);
        },
        stream: () => Promise.reject(new Error('not used')),
      };
      return { client, asked };
    }

    it('asks for the next page before handing on the current one, and for nothing past the last', async () => {
      const { client, asked } = pagedClient(['a', 'b', 'c', 'd', 'e']);
      const seen: string[] = [];
      for await (const page of listPages(client, { path: '/api/v1/configmaps' }, { pageSize: 2 })) {
        const index = seen.length / 2;
        // While page N is processed, page N+1 is already asked for (when there is one).
        assert.deepEqual(asked, [undefined, '2', '4'].slice(0, Math.min(index + 2, 3)));
        seen.push(...page.items.map((o) => o.metadata.name!));
      }
      assert.deepEqual(seen, ['a', 'b', 'c', 'd', 'e']);
      assert.deepEqual(asked, [undefined, '2', '4']);
    });

    it('lists again from the start when a page asked for ahead is gone (410), yielding each item once', async () => {
      const { client, asked } = pagedClient(['a', 'b', 'c', 'd', 'e'], '4');
      const seen: string[] = [];
      const relists: number[] = [];
      for await (const page of listPages(client, { path: '/api/v1/configmaps' }, { pageSize: 2, onRelist: (_target, pass) => relists.push(pass) })) {
        seen.push(...page.items.map((o) => o.metadata.name!));
      }
      assert.deepEqual(seen, ['a', 'b', 'c', 'd', 'e']);
      assert.deepEqual(relists, [2]);
      assert.deepEqual(asked, [undefined, '2', '4', undefined, '2', '4']);
    });
  });

  describe('listPages look-ahead (the next page asked for from the first bytes of a page)', () => {
    interface Asked {
      token: string | undefined;
      limit: number;
      signal: AbortSignal | undefined;
      /** Sends the rest of the page: the request resolves. */
      finish(): void;
    }

    /**
     * A client serving pages of `perPage` names by continue token (the index of the page's first
     * name). Each answer shows its first bytes at once, as a typed list's (`head` can say
     * otherwise), and ends only when the test calls finish(); `bytesPerItem` is what each item
     * weighs for the page limit.
     */
    function gatedClient(names: string[], opts: { head?: (token: string | undefined, next: string | undefined) => string; bytesPerItem?: (start: number) => number } = {}) {
      const asked: Asked[] = [];
      let auto = false;
      const client: KubeClient = {
        server: 'https://test',
        json: <T>(req: KubeRequest) =>
          new Promise<T>((resolve, reject) => {
            const token = req.query?.continue as string | undefined;
            const limit = Number(req.query?.limit);
            const start = token === undefined ? 0 : Number(token);
            const items = names.slice(start, start + limit).map((name) => obj('ns', name));
            const next = start + limit < names.length ? String(start + limit) : undefined;
            const metadata = next === undefined ? {} : { continue: next };
            const finish = () => {
              req.onBodyBytes?.(items.length * (opts.bytesPerItem?.(start) ?? 100));
              resolve({ kind: 'ConfigMapList', apiVersion: 'v1', metadata, items } as T);
            };
            asked.push({ token, limit, signal: req.signal, finish });
            req.signal?.addEventListener('abort', () => reject(req.signal!.reason));
            if (auto) setImmediate(finish);
            const head = opts.head ? opts.head(token, next) : `{"kind":"ConfigMapList","apiVersion":"v1","metadata":${JSON.stringify(metadata)},"items":[`;
            req.onBodyHead?.(Buffer.from(head));
          }),
        stream: () => Promise.reject(new Error('not used')),
      };
      const tokens = () => asked.map((a) => a.token);
      /** Finishes the answer asked with `token`, once it has been asked for. */
      const finish = (token: string | undefined) => {
        const answer = asked.find((a) => a.token === token);
        assert.ok(answer, `page ${token} was asked for`);
        answer.finish();
      };
      /** From now on every answer ends by itself. */
      const finishAll = () => {
        auto = true;
        for (const answer of asked) answer.finish();
      };
      return { client, asked, tokens, finish, finishAll };
    }

    const names = (count: number) => Array.from({ length: count }, (_, i) => `n${String(i).padStart(2, '0')}`);
    const tick = () => new Promise((resolve) => setImmediate(resolve));

    it('asks for the page after the awaited one as soon as that one begins, and never two pages ahead', async () => {
      const { client, tokens, finish } = gatedClient(names(8));
      const pages = listPages(client, { path: '/api/v1/configmaps' }, { pageSize: 2 });
      const seen: string[] = [];
      const take = async () => {
        const page = pages.next();
        await tick();
        return page;
      };

      // The first page tells how large items are before anything is asked ahead of it.
      let next = take();
      assert.deepEqual(tokens(), [undefined]);
      finish(undefined);
      seen.push(...(await next).value!.items.map((o: KubeObject) => o.metadata.name!));
      assert.deepEqual(tokens(), [undefined, '2'], 'page 2 is asked for once page 1 is parsed');

      // While page 1 is processed, page 2 has begun; nothing is asked past it until it is awaited.
      await tick();
      assert.deepEqual(tokens(), [undefined, '2']);
      next = take();
      await tick();
      assert.deepEqual(tokens(), [undefined, '2', '4'], 'page 3 is asked for from the first bytes of page 2, before page 2 is whole');
      finish('2');
      seen.push(...(await next).value!.items.map((o: KubeObject) => o.metadata.name!));
      await tick();
      assert.deepEqual(tokens(), [undefined, '2', '4'], 'page 3 has begun, but page 4 waits until page 3 is awaited');

      for (const token of ['4', '6']) {
        next = take();
        finish(token);
        const result = await next;
        seen.push(...result.value!.items.map((o: KubeObject) => o.metadata.name!));
      }
      assert.equal((await pages.next()).done, true);
      assert.deepEqual(seen, names(8));
      assert.deepEqual(tokens(), [undefined, '2', '4', '6'], 'each page asked for once, none past the last');
    });

    it('drops a page asked for ahead when the parsed page gives another token, and asks again', async () => {
      // The first bytes of page 2 say "99" (as a retried request's first attempt could); the parsed page says "4".
      const { client, asked, tokens, finish } = gatedClient(names(6), { head: (token, next) => `{"kind":"ConfigMapList","apiVersion":"v1","metadata":{"continue":"${token === '2' ? '99' : (next ?? '')}"},"items":[` });
      const seen: string[] = [];
      const done = (async () => {
        for await (const page of listPages(client, { path: '/api/v1/configmaps' }, { pageSize: 2 })) seen.push(...page.items.map((o) => o.metadata.name!));
      })();
      for (const token of [undefined, '2', '4']) {
        await tick();
        finish(token);
      }
      await done;
      assert.deepEqual(seen, names(6), 'every item once, none of the dropped page');
      assert.deepEqual(tokens(), [undefined, '2', '99', '4']);
      assert.equal(asked[2]!.signal?.aborted, true, 'the page asked for with the wrong token is aborted');
    });

    it('drops a page asked for ahead with more than twice the items that the size of the items now allows', async () => {
      // Items of the first page weigh 100 bytes, of the second 10,000: the limit falls from 10 to 1.
      const { client, asked, finish, finishAll } = gatedClient(names(40), { bytesPerItem: (start) => (start === 0 ? 100 : 10_000) });
      const limits: number[] = [];
      const done = (async () => {
        for await (const page of listPages(client, { path: '/api/v1/configmaps' }, { pageSize: 10, pageBytes: 10_000 })) limits.push(page.items.length);
      })();
      await tick();
      finish(undefined);
      await tick();
      finish('10');
      await tick();
      // Page 3 was asked for with 10 items from the first bytes of page 2; page 2 then said that is
      // ten items of 10 KB: dropped, asked for again with 1, and the next asked for ahead with 1.
      assert.deepEqual(asked.map((a) => [a.token, a.limit]), [[undefined, 10], ['10', 10], ['20', 10], ['20', 1], ['21', 1]]);
      assert.equal(asked[2]!.signal?.aborted, true);
      finishAll();
      await done;
      assert.deepEqual(limits, [10, 10, ...Array<number>(20).fill(1)], 'the rest comes one item a page, every item once');
    });

    it('asks for the next page only once a page is parsed when its first bytes cannot tell (lists of custom resources)', async () => {
      const { client, tokens, finish } = gatedClient(names(6), { head: () => '{"apiVersion":"example.com/v1","items":[' });
      const seen: string[] = [];
      const done = (async () => {
        for await (const page of listPages(client, { path: '/apis/example.com/v1/namespaces/ns/widgets' }, { pageSize: 2 })) seen.push(...page.items.map((o) => o.metadata.name!));
      })();
      await tick();
      finish(undefined);
      await tick();
      assert.deepEqual(tokens(), [undefined, '2']);
      await tick();
      assert.deepEqual(tokens(), [undefined, '2'], 'page 3 waits until page 2 is parsed');
      finish('2');
      await tick();
      assert.deepEqual(tokens(), [undefined, '2', '4']);
      finish('4');
      await done;
      assert.deepEqual(seen, names(6));
    });

    it('aborts the page asked for ahead when the consumer stops', async () => {
      const { client, asked, finish } = gatedClient(names(8));
      const pages = listPages(client, { path: '/api/v1/configmaps' }, { pageSize: 2 });
      let next = pages.next();
      await tick();
      finish(undefined);
      await next;
      next = pages.next();
      await tick();
      finish('2');
      await next;
      assert.deepEqual(asked.map((a) => a.token), [undefined, '2', '4']);
      await pages.return(undefined);
      assert.equal(asked[2]!.signal?.aborted, true);
    });
  });

  describe('mergeByName (--or-selector)', () => {
    it('merges sorted lists into one sorted list with each name once', async () => {
      const merged: string[] = [];
      for await (const batch of mergeByName([pages(['a', 'c'], ['e']), pages([], ['b', 'c', 'd']), pages(['c', 'e'])], 2)) {
        assert.ok(batch.length <= 2);
        merged.push(...batch.map((o) => o.metadata.name!));
      }
      assert.deepEqual(merged, ['a', 'b', 'c', 'd', 'e']);
    });

    it('merges names in the order of the server, UTF-8 bytes: `r！` before `r😀`', async () => {
      const merged: string[] = [];
      for await (const batch of mergeByName([pages(['ra', 'r😀']), pages(['r！', 'r😀'])], 10)) merged.push(...batch.map((o) => o.metadata.name!));
      assert.deepEqual(merged, ['ra', 'r！', 'r😀']);
    });
  });

  describe('type pipeline', () => {
    it('hands batches over type by type in order while producing concurrently, with bounded buffering', async () => {
      const seen: string[] = [];
      const yielded = new Map<string, number>();
      let inFlight = 0;
      let maxInFlight = 0;
      let maxAhead = 0;
      await runTypePipeline(
        ['t1', 't2', 't3'],
        async function* (type) {
          inFlight++;
          maxInFlight = Math.max(maxInFlight, inFlight);
          for (let i = 0; i < 5; i++) {
            yielded.set(type, i + 1);
            yield `${type}-${i}`;
          }
          inFlight--;
        },
        async (type, batch) => {
          await new Promise((resolve) => setImmediate(resolve));
          seen.push(batch);
          const consumed = seen.filter((b) => b.startsWith(`${type}-`)).length;
          maxAhead = Math.max(maxAhead, (yielded.get(type) ?? 0) - consumed);
        },
        { concurrency: 2, prefetch: 1 },
      );
      assert.deepEqual(seen, ['t1', 't2', 't3'].flatMap((t) => [0, 1, 2, 3, 4].map((i) => `${t}-${i}`)));
      assert.equal(maxInFlight, 2, 'two types were listed at once, never more');
      // One batch queued (prefetch) and one waiting in push: the producer never runs further ahead.
      assert.ok(maxAhead <= 2, `a producer ran ${maxAhead} batches ahead of the consumer`);
      assert.equal(yielded.get('t3'), 5);
    });

    it('stops the producers when the consumer fails', async () => {
      let produced = 0;
      await assert.rejects(
        runTypePipeline(
          ['t1', 't2'],
          async function* () {
            for (let i = 0; i < 1000; i++) {
              produced++;
              yield i;
            }
          },
          async () => {
            throw new Error('storage failed');
          },
          { concurrency: 2, prefetch: 1 },
        ),
        /storage failed/,
      );
      assert.ok(produced < 10, `producers stopped (${produced} produced)`);
    });

    it('makes a producer failure the consumer\'s', async () => {
      const channel = new PageChannel<number>(1);
      channel.fail(new Error('boom'));
      await assert.rejects(async () => {
        for await (const _ of channel) void _;
      }, /boom/);

      const consumed: string[] = [];
      await assert.rejects(
        runTypePipeline(
          ['t1', 't2', 't3'],
          async function* (type) {
            yield `${type}-0`;
            if (type === 't2') throw new Error('LIST failed');
            yield `${type}-1`;
          },
          async (_type, batch) => void consumed.push(batch),
          { concurrency: 3, prefetch: 1 },
        ),
        /LIST failed/,
      );
      assert.deepEqual(consumed, ['t1-0', 't1-1', 't2-0'], 'what came before the failure was handed on, nothing after it');
    });
  });

  describe('ResourceListWriter', () => {
    it('writes {"apiVersion/Kind": [items]} as items come, type after type', async () => {
      let text = '';
      const out = new Writable({
        write(chunk, _e, cb) {
          text += String(chunk);
          cb();
        },
      });
      const writer = new ResourceListWriter(out);
      writer.add('v1/Namespace', ['a', 'b']);
      writer.add('v1/ConfigMap', ['a/x']);
      writer.add('v1/ConfigMap', ['b/y']);
      writer.end();
      await new Promise((resolve) => out.on('finish', resolve));
      assert.deepEqual(JSON.parse(text), { 'v1/Namespace': ['a', 'b'], 'v1/ConfigMap': ['a/x', 'b/y'] });
      assert.throws(() => writer.add('v1/Namespace', ['c']), /already written/);
    });

    it('writes {} when nothing was backed up', async () => {
      let text = '';
      const out = new Writable({ write: (chunk, _e, cb) => ((text += String(chunk)), cb()) });
      new ResourceListWriter(out).end();
      await new Promise((resolve) => out.on('finish', resolve));
      assert.equal(text, '{}');
    });
  });

  describe('ResultsCollector', () => {
    it('groups messages by cluster and namespace, counting all and keeping the first thousand per group', () => {
      const results = new ResultsCollector();
      results.warn('w1');
      results.error('e1', 'ns1');
      for (let i = 0; i < 1005; i++) results.error(`many ${i}`, 'ns2');
      const json = results.toJSON();
      assert.deepEqual(json.warnings, { cluster: ['w1'], namespaces: {} });
      assert.deepEqual(json.errors.namespaces.ns1, ['e1']);
      assert.equal(json.errors.namespaces.ns2!.length, 1001);
      assert.match(json.errors.namespaces.ns2![1000]!, /and 5 more errors/);
      assert.equal(results.errorCount, 1006);
    });
  });

  describe('LogProgress', () => {
    it('logs a line per interval while items move, with done, total and rate', () => {
      const logger = new MemoryLogger();
      let tick: () => void = () => undefined;
      let now = 0;
      const progress = new LogProgress(logger, 'backup', { now: () => now, every: (_ms, t) => ((tick = t), { stop: () => undefined }) });
      progress.expect(100);
      progress.advance(50);
      now = 10_000;
      tick();
      tick();
      progress.advance(50);
      tick();
      assert.deepEqual(
        logger.lines.map((l) => [l.message, l.fields.itemsDone, l.fields.itemsTotal, l.fields.itemsPerSecond]),
        [
          ['backup progress', 50, 100, 5],
          ['backup progress', 100, 100, 10],
        ],
      );
    });
  });
});
