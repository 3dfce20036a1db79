/**
 * The simulator's time. The base clock is injectable and may be asynchronous, so under Temporal's
 * time-skipping test server it can follow the server's time; POST /_sim/clock adds an offset on top.
 */
export type Clock = () => number | Promise<number>;

export class SimulatorClock {
  private offsetMs = 0;

  constructor(private readonly base: Clock = Date.now) {}

  async now(): Promise<number> {
    return Math.floor(await this.base()) + this.offsetMs;
  }

  advance(seconds: number): void {
    this.offsetMs += Math.round(seconds * 1000);
  }

  get offset(): number {
    return this.offsetMs;
  }
}
