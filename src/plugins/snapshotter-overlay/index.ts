export { OverlayLayerStore, type ApplyLayerOptions, type AppliedLayer, type LayerInfo, type StagedLayer, type UnpackOptions } from './layer-store';
export { OverlayContainerLayers } from './container-layers';
export { tarUpperDir, type UpperTarOptions } from './upper-tar';
export { IdmappedLowers, CopiedLowers, idmapUnsupported, type LowerRemapper } from './remapped-lowers';
