// asciichart ships no types; this is the part of its API that `report` uses.
declare module "asciichart" {
  export interface PlotConfig {
    height?: number;
    min?: number;
    max?: number;
    offset?: number;
    padding?: string;
    colors?: string[];
    format?: (value: number, index: number) => string;
  }
  export function plot(series: number[] | number[][], config?: PlotConfig): string;
  export const blue: string;
  export const green: string;
  export const magenta: string;
  export const yellow: string;
  export const cyan: string;
  export const red: string;
  const asciichart: {
    plot: typeof plot;
    blue: string;
    green: string;
    magenta: string;
    yellow: string;
    cyan: string;
    red: string;
  };
  // A CommonJS module: under ESM its exports object arrives as the default export.
  // eslint-disable-next-line no-restricted-exports
  export default asciichart;
}
