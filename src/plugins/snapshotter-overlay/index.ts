export { OverlayLayerStore, type ApplyLayerOptions, type AppliedLayer, type LayerInfo } from './layer-store';
export { OverlayContainerLayers } from './container-layers';
export { tarUpperDir, type UpperTarOptions } from './upper-tar';
