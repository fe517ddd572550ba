/**
 * The dashboard's charts (Recharts). Loaded only in the browser: the server
 * renders each figure's data table, which is also the charts' text
 * alternative. Colours are the theme's CSS custom properties, so a theme
 * switch recolours the SVG without a redraw.
 */
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

export default function DashboardChart({ type, data, categoryKey, series, categoryLabels, valueDomain, allowDecimals = false }: DashboardChartProps) {
  const label = (value: unknown) => categoryLabels?.[String(value)] ?? String(value);
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
    <ResponsiveContainer width="100%" height="100%">
      <BarChart {...common} layout={horizontal ? "vertical" : "horizontal"}>
        {grid}
        {horizontal ? (
          <>
            <XAxis type="number" tick={tick} stroke="var(--border)" domain={valueDomain} allowDecimals={allowDecimals} />
            <YAxis type="category" dataKey={categoryKey} tick={tick} stroke="var(--border)" tickFormatter={label} width={140} />
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
