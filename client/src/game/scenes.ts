/**
 * Every scene the map can show, under the key a room's screen starts it by. A new room type's
 * scene is one more line here. This module is part of the game chunk (it pulls in Phaser): the
 * lobby imports only its types.
 */
import { SpaceScene } from "../scenes/SpaceScene";
import { TableScene } from "../scenes/TableScene";
import { CaboScene } from "../scenes/CaboScene";

export const SCENES = {
  space: SpaceScene,
  table: TableScene,
  cabo: CaboScene,
};

export type SceneKey = keyof typeof SCENES;
export type SceneOf<K extends SceneKey> = InstanceType<(typeof SCENES)[K]>;
/** What a scene's init() takes: the room and what else that scene needs. */
export type SceneData<K extends SceneKey> = Parameters<SceneOf<K>["init"]>[0];
export type Scenes = { [K in SceneKey]: SceneOf<K> };
