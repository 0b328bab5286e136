// A weekly grid of hour cells (Mon–Sun × 0–24): click a cell to toggle it, drag to paint a
// rectangle, Shift+click to fill from the last cell, click a day or an hour to toggle the whole
// row or column. Keyboard: arrows move, Space/Enter toggles. Used by the tabs' working hours
// (§8) and the operators' schedules (§10).
import { useEffect, useId, useRef, useState } from "preact/hooks";
import { useI18n, type Key } from "./i18n";
import { countHours, DAYS, fillHours, HOURS, officeHours, paintHours, type Hours } from "./widgetSettings";

export const DAY_KEYS: Key[] = ["day.mon", "day.tue", "day.wed", "day.thu", "day.fri", "day.sat", "day.sun"];
const DAY_LONG: Key[] = ["day.long.mon", "day.long.tue", "day.long.wed", "day.long.thu", "day.long.fri", "day.long.sat", "day.long.sun"];

type Cell = [number, number];

export function HoursGrid({
  value,
  onChange,
  label,
  name,
  disabled,
  presets = true,
  describedBy,
}: {
  value: Hours;
  onChange: (h: Hours) => void;
  label: string;
  /** The settings path (e.g. `chat.hours`) a server error may name. */
  name?: string;
  disabled?: boolean;
  presets?: boolean;
  describedBy?: string;
}) {
  const { t } = useI18n();
  const id = useId();
  const [focus, setFocus] = useState<Cell>([0, 9]);
  const drag = useRef<{ anchor: Cell; on: boolean; base: Hours; last: Cell } | null>(null);
  const lastClick = useRef<Cell | null>(null);
  const grid = useRef<HTMLDivElement>(null);
  const valueRef = useRef(value);
  valueRef.current = value;

  useEffect(() => {
    const up = () => {
      drag.current = null;
    };
    addEventListener("pointerup", up);
    addEventListener("pointercancel", up);
    return () => {
      removeEventListener("pointerup", up);
      removeEventListener("pointercancel", up);
    };
  }, []);

  const cellAt = (x: number, y: number): Cell | null => {
    const el = document.elementFromPoint(x, y) as HTMLElement | null;
    const c = el?.closest<HTMLElement>("[data-cell]");
    if (!c || !grid.current?.contains(c)) return null;
    const [d, h] = c.dataset.cell!.split(":").map(Number);
    return [d!, h!];
  };

  function onPointerDown(e: PointerEvent) {
    if (disabled || e.button !== 0) return;
    const cell = cellAt(e.clientX, e.clientY);
    if (!cell) return;
    e.preventDefault();
    const v = valueRef.current;
    if (e.shiftKey && lastClick.current) {
      const on = !v[cell[0]]![cell[1]];
      onChange(paintHours(v, lastClick.current, cell, on));
      lastClick.current = cell;
      return;
    }
    const on = !v[cell[0]]![cell[1]];
    drag.current = { anchor: cell, on, base: v, last: cell };
    lastClick.current = cell;
    setFocus(cell);
    onChange(paintHours(v, cell, cell, on));
  }

  function onPointerMove(e: PointerEvent) {
    const dr = drag.current;
    if (!dr) return;
    const cell = cellAt(e.clientX, e.clientY);
    if (!cell || (cell[0] === dr.last[0] && cell[1] === dr.last[1])) return;
    dr.last = cell;
    onChange(paintHours(dr.base, dr.anchor, cell, dr.on));
  }

  function onKeyDown(e: KeyboardEvent, d: number, h: number) {
    const moves: Record<string, Cell> = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
    const m = moves[e.key];
    if (m) {
      e.preventDefault();
      const next: Cell = [Math.min(DAYS - 1, Math.max(0, d + m[0])), Math.min(HOURS - 1, Math.max(0, h + m[1]))];
      setFocus(next);
      grid.current?.querySelector<HTMLElement>(`[data-cell="${next[0]}:${next[1]}"]`)?.focus();
    } else if ((e.key === " " || e.key === "Enter") && !disabled) {
      e.preventDefault();
      onChange(paintHours(value, [d, h], [d, h], !value[d]![h]));
    }
  }

  const toggleDay = (d: number) => {
    const on = !value[d]!.every(Boolean);
    onChange(paintHours(value, [d, 0], [d, HOURS - 1], on));
  };
  const toggleHour = (h: number) => {
    const on = !value.every((row) => row[h]);
    onChange(paintHours(value, [0, h], [DAYS - 1, h], on));
  };

  const total = countHours(value);
  return (
    <div class={"hours" + (disabled ? " is-disabled" : "")} data-name={name}>
      <div
        ref={grid}
        class="hours-grid"
        role="grid"
        aria-label={label}
        aria-describedby={describedBy}
        aria-disabled={disabled ? true : undefined}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
      >
        <div role="row" class="hours-row hours-head">
          <span role="columnheader" class="hours-corner" aria-label={t("hours.day")} />
          {Array.from({ length: HOURS }, (_, h) => (
            <span role="columnheader" class="hours-h">
              <button type="button" tabIndex={-1} disabled={disabled} title={t("hours.toggleHour", { H: String(h) })} aria-label={t("hours.toggleHour", { H: String(h) })} onClick={() => toggleHour(h)}>
                {h}
              </button>
            </span>
          ))}
        </div>
        {value.map((row, d) => (
          <div role="row" class="hours-row">
            <span role="rowheader" class="hours-d">
              <button
                type="button"
                tabIndex={-1}
                disabled={disabled}
                title={t("hours.toggleDay", { DAY: t(DAY_LONG[d]!) })}
                aria-label={t("hours.toggleDay", { DAY: t(DAY_LONG[d]!) })}
                onClick={() => toggleDay(d)}
              >
                {t(DAY_KEYS[d]!)}
              </button>
            </span>
            {row.map((on, h) => (
              <span
                role="gridcell"
                class={"hours-c" + (on ? " on" : "")}
                data-cell={d + ":" + h}
                aria-selected={on}
                aria-label={t("hours.cell", { DAY: t(DAY_LONG[d]!), FROM: String(h), TO: String(h + 1) })}
                tabIndex={disabled ? -1 : focus[0] === d && focus[1] === h ? 0 : -1}
                onKeyDown={(e) => onKeyDown(e, d, h)}
                onFocus={() => setFocus([d, h])}
              />
            ))}
          </div>
        ))}
      </div>
      <div class="hours-foot">
        <span class="hours-legend">
          <span class="hours-swatch on" aria-hidden="true" /> {t("hours.on")}
          <span class="hours-swatch" aria-hidden="true" /> {t("hours.off")}
          <span class="muted hours-total" id={id + "-total"}>
            {t("hours.total", { N: String(total) })}
          </span>
        </span>
        {presets && !disabled && (
          <span class="hours-presets">
            <button type="button" class="link-btn" onClick={() => onChange(fillHours(true))}>
              {t("hours.always")}
            </button>
            <button type="button" class="link-btn" onClick={() => onChange(officeHours())}>
              {t("hours.office")}
            </button>
            <button type="button" class="link-btn" onClick={() => onChange(fillHours(false))}>
              {t("hours.clear")}
            </button>
          </span>
        )}
      </div>
    </div>
  );
}
