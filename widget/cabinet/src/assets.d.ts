// CSS imported as text (the charts bundle puts uPlot's styles in a <style> itself).
declare module "*.css" {
  const text: string;
  export default text;
}
