// What the Аналитика page asks the lazily loaded charts bundle (charts.ts) to draw, and how
// the page loads that bundle once: uPlot stays out of the cabinet's main bundle.

/** One chart: x positions are the indexes of `labels`. */
export interface ChartSpec {
  kind: "line" | "bars";
  labels: string[];
  series: { label: string; color: string; values: (number | null)[]; dash?: boolean }[];
  height: number;
  /** Counts step the y axis by whole numbers; durations may be fractional. */
  unit: "count" | "duration";
}

export interface Charts {
  /** Draws into `el`, following its width; returns what removes the chart. */
  draw(el: HTMLElement, spec: ChartSpec): () => void;
}

declare global {
  /** The versioned URL of the charts bundle, set by the build. */
  const __CHARTS_URL__: string;
  interface Window {
    besedaCharts?: Charts;
  }
}

let loading: Promise<Charts> | null = null;

/** The charts bundle, loaded on first use. */
export function loadCharts(): Promise<Charts> {
  if (window.besedaCharts) return Promise.resolve(window.besedaCharts);
  if (!loading) {
    loading = new Promise<Charts>((resolve, reject) => {
      const s = document.createElement("script");
      s.src = __CHARTS_URL__;
      s.async = true;
      s.onload = () => (window.besedaCharts ? resolve(window.besedaCharts) : reject(new Error("charts")));
      s.onerror = () => {
        loading = null;
        s.remove();
        reject(new Error("charts"));
      };
      document.head.appendChild(s);
    });
  }
  return loading;
}
