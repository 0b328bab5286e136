// The Аналитика page's charts, a bundle of its own (dist/cabinet/charts.js) loaded when the
// page opens: uPlot draws lines and bars on a canvas that follows its container's width.
import uPlot from "uplot";
import css from "uplot/dist/uPlot.min.css";
import type { ChartSpec, Charts } from "./chartSpec";

const style = document.createElement("style");
// The x series' own legend entry says nothing the axis does not.
style.textContent = css + ".u-legend .u-series:first-child{display:none}.u-legend{font-size:13px}";
document.head.appendChild(style);

const num = (v: number | null | undefined) => (v == null ? "—" : String(Math.round(v * 10) / 10));

function draw(el: HTMLElement, spec: ChartSpec): () => void {
  const bars = spec.kind === "bars";
  const fmt = (v: number | null | undefined) => num(v);
  const opts: uPlot.Options = {
    width: Math.max(el.clientWidth, 200),
    height: spec.height,
    cursor: { points: { show: !bars }, drag: { x: false, y: false } },
    legend: { show: spec.series.length > 1 || !bars },
    scales: { x: { time: false, range: (_u, min, max) => [min - 0.5, max + 0.5] }, y: { range: (_u, _min, max) => [0, Math.max(max, 1) * 1.1] } },
    axes: [
      {
        stroke: "#64748b",
        grid: { show: false },
        space: 44,
        incrs: [1, 2, 3, 4, 6, 7, 14, 30, 60],
        values: (_u, splits) => splits.map((i) => spec.labels[i] ?? ""),
      },
      {
        stroke: "#64748b",
        grid: { stroke: "#eef2f7" },
        size: 44,
        // Counts step by whole numbers; durations may be fractional.
        incrs: spec.unit === "count" ? [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000] : undefined,
        values: (_u, splits) => splits.map((v) => fmt(v)),
      },
    ],
    series: [
      { label: "", value: (_u, i) => (i == null ? "" : spec.labels[i] ?? "") },
      ...spec.series.map((s) => ({
        label: s.label,
        stroke: s.color,
        width: bars ? 0 : 2,
        fill: bars ? s.color : undefined,
        dash: s.dash ? [6, 4] : undefined,
        points: { show: !bars && spec.labels.length <= 31, size: 5 },
        paths: bars ? uPlot.paths.bars!({ size: [0.7, 40], gap: 2 }) : undefined,
        value: (_u: uPlot, v: number | null) => fmt(v),
      })),
    ],
  };
  const data = [spec.labels.map((_, i) => i), ...spec.series.map((s) => s.values)] as uPlot.AlignedData;
  const plot = new uPlot(opts, data, el);
  const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(el.clientWidth, 200), height: spec.height }));
  resize.observe(el);
  return () => {
    resize.disconnect();
    plot.destroy();
  };
}

const charts: Charts = { draw };
window.besedaCharts = charts;
