import * as assert from 'node:assert/strict';
import { clockNow, HostClock, OPEN_PHASES } from '../../../src/shared/openTimeline';

describe('the open timeline clock', () => {
  it('reads the host clock through the best offset seen (transit only makes a reading late)', () => {
    const clock = new HostClock();
    const near = (a: number, b: number) => assert.ok(Math.abs(a - b) < 20, `${a} vs ${b}`);
    near(clock.now(), clockNow()); // no reading yet: its own clock
    clock.sync(clockNow() + 60_000 - 30); // a host 60 s ahead, reading 30 ms in transit
    near(clock.now() - clockNow(), 60_000 - 30);
    clock.sync(clockNow() + 60_000 - 500); // a slower message changes nothing
    near(clock.now() - clockNow(), 60_000 - 30);
    clock.sync(clockNow() + 60_000 - 2); // a faster one sharpens it
    near(clock.now() - clockNow(), 60_000 - 2);
    clock.sync(undefined);
    clock.sync(Number.NaN);
    near(clock.now() - clockNow(), 60_000 - 2);
  });

  it('puts a local reading taken before a sync on the host clock with the offset that sync gives: never before the host sent it', () => {
    const clock = new HostClock();
    clock.sync(clockNow() + 60_000 - 400); // an earlier message that was 400 ms in transit
    const hostSent = clockNow() + 60_000; // the host sends at its now ...
    const arrived = clockNow(); // ... and it arrives at once
    assert.ok(clock.at(arrived) < hostSent - 300, 'with the old offset the arrival looks earlier than the post');
    clock.sync(hostSent);
    assert.ok(clock.at(arrived) >= hostSent - 1, `${clock.at(arrived)} vs ${hostSent}`);
  });

  it('takes a kept message by when it arrived, not when it was read (the webview keeps the host\'s messages until its script is up)', () => {
    const clock = new HostClock();
    const arrived = clockNow() - 100; // kept 100 ms before it is read now
    const hostSent = arrived + 60_000 - 5; // sent 5 ms before it arrived, by a host 60 s ahead
    clock.sync(hostSent, arrived);
    const near = (a: number, b: number) => assert.ok(Math.abs(a - b) < 20, `${a} vs ${b}`);
    near(clock.now() - clockNow(), 60_000 - 5);
    near(clock.at(arrived), hostSent + 5);
  });

  it('lists every phase once', () => {
    assert.equal(new Set(OPEN_PHASES).size, OPEN_PHASES.length);
  });
});
