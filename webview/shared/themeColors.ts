/** The concrete theme colours canvases draw with (read by theme.ts); a DOM-free type so Node tests can use it. */
import type { ThemeKind } from '../../src/shared/webviewProtocol';
import type { Rgb } from './heatmapMath';

export interface ThemeColors {
  kind: ThemeKind;
  negative: Rgb;
  middle: Rgb;
  positive: Rgb;
  foreground: string;
  muted: string;
  border: string;
  highlight: string;
  fontFamily: string;
  fontSize: number;
  lut: Uint8ClampedArray;
  /** Changes whenever any colour changes; lets views skip needless repaints. */
  key: string;
}
