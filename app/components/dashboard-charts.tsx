/**
 * The dashboard's charts (Recharts). Loaded only in the browser: the server
 * renders each figure's data table, which is also the charts' text
 * alternative. Colours are the theme's CSS custom properties, so a theme
 * switch recolours the SVG without a redraw.
 */
import { useMemo, useState } from "react";
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export interface ChartSeries {
  key: string;
  label: string;
  /** A CSS colour, normally var(--chart-N). */
  color: string;
  /** Lines also differ by dash, so colour is never the only difference. */
  dash?: string;
}

export interface DashboardChartProps {
  type: "line" | "bar" | "horizontal-bar";
  data: Record<string, string | number>[];
  categoryKey: string;
  series: ChartSeries[];
  /** How a category is shown on its axis (a day, a stage name). */
  categoryLabels?: Record<string, string>;
  valueDomain?: [number, number];
  allowDecimals?: boolean;
}

const tick = { fill: "var(--muted)", fontSize: 12 };
const tooltipStyle = { background: "var(--surface)", border: "1px solid var(--border)", borderRadius: 8, color: "var(--text)" };
const textStyle = { color: "var(--text)" };

/**
 * A bar chart's names (products) on one line each, never wrapped into the bars: the axis is as wide as the
 * longest name, up to two fifths of the chart, and a name longer than that ends in "…" (the whole name is
 * its tooltip, and the figure's table).
 */
function useCategoryAxis(names: string[], chartWidth: number) {
  const measure = useMemo(() => {
    const context = document.createElement("canvas").getContext("2d");
    if (context) context.font = `${tick.fontSize}px ${getComputedStyle(document.body).fontFamily}`;
    return (text: string) => context?.measureText(text).width ?? text.length * 7;
  }, []);
  const longest = Math.max(0, ...names.map(measure));
  const width = Math.ceil(Math.min(longest + 12, Math.max(80, chartWidth * 0.4)));
  const fit = (name: string) => {
    if (measure(name) <= width - 12) return name;
    let cut = name;
    while (cut.length > 1 && measure(`${cut}…`) > width - 12) cut = cut.slice(0, -1);
    return `${cut.trimEnd()}…`;
  };
  return { width, fit };
}

function CategoryTick({ x, y, payload, name, fit }: { x?: number | string; y?: number | string; payload?: { value: unknown }; name: (value: unknown) => string; fit: (name: string) => string }) {
  const full = name(payload?.value);
  return (
    <text x={x} y={y} dy="0.35em" textAnchor="end" fill={tick.fill} fontSize={tick.fontSize}>
      <title>{full}</title>
      {fit(full)}
    </text>
  );
}

export default function DashboardChart({ type, data, categoryKey, series, categoryLabels, valueDomain, allowDecimals = false }: DashboardChartProps) {
  const label = (value: unknown) => categoryLabels?.[String(value)] ?? String(value);
  const [chartWidth, setChartWidth] = useState(0);
  const axis = useCategoryAxis(
    data.map((d) => label(d[categoryKey])),
    chartWidth,
  );
  const common = { data, accessibilityLayer: false, margin: { top: 8, right: 16, bottom: 8, left: 8 } };
  const tooltip = <Tooltip contentStyle={tooltipStyle} labelStyle={textStyle} itemStyle={textStyle} labelFormatter={label} cursor={{ fill: "var(--bg)", stroke: "var(--border)" }} />;
  const legend = series.length > 1 ? <Legend formatter={(value: string) => <span style={textStyle}>{value}</span>} /> : null;
  const grid = <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />;

  if (type === "line") {
    return (
      <ResponsiveContainer width="100%" height="100%">
        <LineChart {...common}>
          {grid}
          <XAxis dataKey={categoryKey} tick={tick} stroke="var(--border)" tickFormatter={label} minTickGap={16} />
          <YAxis tick={tick} stroke="var(--border)" allowDecimals={allowDecimals} width={40} />
          {tooltip}
          {legend}
          {series.map((s) => (
            <Line key={s.key} type="linear" dataKey={s.key} name={s.label} stroke={s.color} strokeWidth={2} strokeDasharray={s.dash} dot={false} isAnimationActive={false} />
          ))}
        </LineChart>
      </ResponsiveContainer>
    );
  }
  const horizontal = type === "horizontal-bar";
  return (
    <ResponsiveContainer width="100%" height="100%" onResize={(width) => setChartWidth(width)}>
      <BarChart {...common} layout={horizontal ? "vertical" : "horizontal"}>
        {grid}
        {horizontal ? (
          <>
            <XAxis type="number" tick={tick} stroke="var(--border)" domain={valueDomain} allowDecimals={allowDecimals} />
            <YAxis type="category" dataKey={categoryKey} tick={(props: object) => <CategoryTick {...props} name={label} fit={axis.fit} />} stroke="var(--border)" width={axis.width} />
          </>
        ) : (
          <>
            <XAxis dataKey={categoryKey} tick={tick} stroke="var(--border)" tickFormatter={label} interval={0} />
            <YAxis tick={tick} stroke="var(--border)" domain={valueDomain} allowDecimals={allowDecimals} width={40} />
          </>
        )}
        {tooltip}
        {legend}
        {series.map((s) => (
          <Bar key={s.key} dataKey={s.key} name={s.label} fill={s.color} isAnimationActive={false} radius={horizontal ? [0, 4, 4, 0] : [4, 4, 0, 0]} />
        ))}
      </BarChart>
    </ResponsiveContainer>
  );
}
