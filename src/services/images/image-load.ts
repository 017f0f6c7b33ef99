import { finished, PassThrough, type Readable } from 'node:stream';
import { InvalidArgument } from '../../errdefs';
import { chainIds, familiar } from '../../core/images';
import type { ImageStore, StoredImage } from './image-store';
import { addTag } from './image-tag';
import type { LayerEntry, LoadArchive } from './load-archive';
import { readArchive } from './load-archive-read';
import { plansFromIndex, plansFromManifest, type ImagePlan } from './load-plan';
import { parentLinks } from './load-parents';

/** Each plan's layers, checked against its config's diff_ids (Docker's message on a mismatch). */
async function checkLayers(archive: LoadArchive, plans: ImagePlan[]): Promise<LayerEntry[][]> {
  const out: LayerEntry[][] = [];
  for (const plan of plans) {
    const layers: LayerEntry[] = [];
    for (const [i, name] of plan.layerNames.entries()) {
      const layer = await archive.layer(name);
      if (layer.diffId !== plan.diffIds[i]) {
        throw new InvalidArgument(`invalid diffID for layer ${i} (${name}): expected "${plan.diffIds[i]}", got "${layer.diffId}"`);
      }
      archive.checkDigest(name, layer.digest);
      layers.push(layer);
    }
    out.push(layers);
  }
  return out;
}

/**
 * Puts a checked image's layers in place: each tar into the blob store, each diff at its
 * chain position. A chain already present is kept; a diff needed at a second position (the
 * staged one went to the first) is unpacked again from its blob.
 */
async function commitLayers(store: ImageStore, plan: ImagePlan, layers: LayerEntry[]): Promise<void> {
  const chains = chainIds(plan.diffIds);
  for (const [i, layer] of layers.entries()) {
    const diffId = plan.diffIds[i];
    if (layer.blob) {
      const blob = layer.blob;
      layer.blob = undefined;
      await blob.commit(diffId);
    }
    if (await store.layers.has(chains[i])) continue;
    const staged = layer.staged ?? (await store.layers.unpack(store.blobs.openRead(diffId)));
    layer.staged = undefined;
    await store.layers.commitStaged(staged, chains[i - 1]);
  }
}

/**
 * `docker load`: reads a docker-archive (manifest.json: Docker 20.10's `<id>/layer.tar` or
 * Docker 25+'s OCI layout) or a plain OCI layout (index.json), plain or gzip-compressed, in
 * one pass, unpacking layers as they stream by. manifest.json's Parent of an image is
 * restored when the parent is in the archive too (see parentLinks). Every image is checked
 * (configs, tags, each layer's diffID, parents) before anything is committed, so a bad archive (an InvalidArgument in
 * Docker's words) loads nothing: no image, no tag, no staged layer left. input is read to
 * its end even then, so a client still sending gets the answer. Returns Docker's messages
 * (`Loaded image: busybox:latest`, `Loaded image ID: sha256:...`); onLoaded gets each
 * image's ID once it is stored and tagged.
 */
export async function loadImages(store: ImageStore, input: Readable, onLoaded?: (id: string) => void): Promise<string[]> {
  const source = new PassThrough();
  const inputDone = new Promise<void>((resolve) => {
    finished(input, (err) => { if (err) source.destroy(err); resolve(); });
  });
  input.pipe(source);
  let archive: LoadArchive | undefined;
  try {
    archive = await readArchive(store, source);
    const plans = plansFromManifest(archive) ?? plansFromIndex(archive);
    if (!plans) throw new InvalidArgument('invalid archive: neither manifest.json nor index.json found');
    const layers = await checkLayers(archive, plans);
    const parents = parentLinks(plans);
    const images: StoredImage[] = [];
    for (const [i, plan] of plans.entries()) {
      await commitLayers(store, plan, layers[i]);
      const parent = parents[i];
      const img = await store.add(plan.configBytes, parent ? { parent } : {}, plan.tags);
      if (parent && img.meta.parent !== parent) { // an image already here gets the archive's parent
        img.meta.parent = parent;
        await store.saveMeta(img);
      }
      images.push(img);
    }
    const messages: string[] = [];
    for (const [i, plan] of plans.entries()) {
      for (const t of plan.tags) {
        await addTag(store, images[i], t);
        messages.push(`Loaded image: ${familiar(t)}`);
      }
      if (!plan.tags.length) messages.push(`Loaded image ID: ${images[i].id}`);
      onLoaded?.(images[i].id);
    }
    return messages;
  } catch (err) {
    input.unpipe(source);
    source.destroy();
    input.resume();
    await inputDone;
    throw err;
  } finally {
    await archive?.dispose();
  }
}
