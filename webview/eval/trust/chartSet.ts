/**
 * The charts of one view: made once the view is in the page (Chart.js measures its box), re-coloured
 * together when the theme changes, destroyed together. The Uncertainty, Robustness and Drift views
 * and their standalone report pages hold one each.
 */
import type { ThemedChart } from '../../ui/charts';

export class ChartSet {
  private readonly charts: ThemedChart[] = [];
  private readonly pending: (() => ThemedChart)[] = [];
  private mounted = false;

  /** Adds a chart: made now when the view is mounted, else at `mount()`. */
  add(make: () => ThemedChart): void {
    if (this.mounted) this.charts.push(make());
    else this.pending.push(make);
  }

  mount(): void {
    if (this.mounted) return;
    this.mounted = true;
    for (const make of this.pending.splice(0)) this.charts.push(make());
  }

  retheme(): void {
    for (const c of this.charts) c.retheme();
  }

  destroy(): void {
    for (const c of this.charts.splice(0)) c.destroy();
    this.pending.length = 0;
    this.mounted = false;
  }
}

/** A chart's box: CSS gives it its height. */
export function chartBox(testid: string, className = 'eval-chart'): HTMLElement {
  const box = document.createElement('div');
  box.className = className;
  box.dataset.testid = testid;
  return box;
}
