import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderHtml } from '../../src/report/exporters/html.js';
import { renderMarkdown } from '../../src/report/exporters/markdown.js';
import { renderText } from '../../src/report/exporters/text.js';
import { reportView } from '../../src/report/sections.js';
import { fixtureModel, withProfiles } from './helpers.js';

/** Every "NN %" in a text that is not a signed change (a change may exceed 100 %, a share may not). */
const shares = (text: string): number[] =>
  [...text.matchAll(/(^|[^+\u2212\-\d.])(\d+(?:\.\d+)?) ?%/g)].map((m) => Number(m[2]));

describe('report section "Where the CPU goes"', () => {
  it('comes after the baseline and before the comparison, with both builds, the top functions and the Amdahl ceiling', () => {
    const m = withProfiles(fixtureModel());
    const ids = reportView(m).sections.map((s) => s.id);
    assert.ok(ids.indexOf('profile') === ids.indexOf('baseline') + 1, ids.join(','));
    assert.ok(ids.indexOf('profile') < ids.indexOf('significance'));
    const text = renderText(m);
    assert.match(text, /Where the CPU goes/);
    assert.match(text, /the hotspot is \d+% \(95 % CI \d+%–\d+%, \d+ samples\)/);
    assert.match(text, /time in Rust \(samples under runtime\.cgocall \/ _Cfunc_\*\)/);
    assert.match(
      text,
      /If the hotspot cost nothing, CPU per request could fall at most \d+%.*; measured [−+]\d+%/,
    );
    assert.match(text, /regexp\.\(\*machine\)\.add/);
    assert.match(text, /runtime\.cgocall/);
    assert.match(renderMarkdown(m), /CPU per endpoint/);
  });

  it("says a search's profile ran at the highest passing probe, and what share of the service's CPU it covers", () => {
    const m = withProfiles(fixtureModel());
    const [b, c] = m.profiles!;
    b!.rateRps = 42;
    b!.rateFrom = 'highest-passing-probe';
    b!.coverage = { share: 0.95, serviceCpuSeconds: b!.cpuSeconds / 0.95, source: 'cgroup' };
    c!.coverage = { share: 0.72, serviceCpuSeconds: c!.cpuSeconds / 0.72, source: 'proc' };
    c!.warnings.push({ code: 'profile-low-coverage', message: 'low' });
    const text = renderText(m);
    assert.match(
      text,
      /profiled at 42 requests\/s \(the highest passing probe of its capacity search\); the hotspot/,
    );
    assert.match(
      text,
      /The profile covers 95% of the service's CPU in its window \([\d.]+ s of samples of [\d.]+ s measured by its cgroup\)\./,
    );
    assert.match(
      text,
      /covers 72% of the service's CPU in its window \(.*\/proc schedstat\): the shares are shares of the sampled part\./,
    );
  });

  it('is left out when the trial took no profiles (the tiny trial)', () => {
    assert.ok(!reportView(fixtureModel()).sections.some((s) => s.id === 'profile'));
  });

  it('says the share is too uncertain instead of giving it below minSamples', () => {
    const m = withProfiles(fixtureModel());
    for (const p of m.profiles!) {
      p.tooFewSamples = true;
      delete p.hotspotShare;
      delete p.hotspotCI95;
      delete p.rustShare;
    }
    const text = renderText(m);
    assert.match(text, /too uncertain to report/);
    assert.doesNotMatch(text, /could fall at most/);
  });

  it('lets no share above 100 % reach a report, even from a wall-time hotspot share of 1.01', async () => {
    for (const m of [fixtureModel(), withProfiles(fixtureModel())]) {
      for (const r of m.resources) if (r.hotspotShare !== undefined) r.hotspotShare = 1.01;
      for (const out of [renderText(m), renderMarkdown(m), await renderHtml(m)]) {
        assert.doesNotMatch(out, /101 ?%/);
        const over = shares(out).filter((x) => x > 100);
        assert.deepEqual(over, [], `shares above 100 %: ${over.join(', ')}`);
      }
    }
  });
});
