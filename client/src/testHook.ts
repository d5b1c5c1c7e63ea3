/**
 * Test builds only (vite --mode test): `window.__tavern` exposes what the scene has rendered and
 * the connection's state, so browser tests read facts instead of matching pixels.
 */
import type { TavernConnection } from "./net/connection";
import type { RenderedAvatar, SpaceScene } from "./scenes/SpaceScene";

export interface TavernTestHook {
  status(): string;
  playerId(): string | undefined;
  code(): string | undefined;
  sceneReady(): boolean;
  avatars(): RenderedAvatar[];
  resyncs(): number;
  integrityChecks(): number;
  checkIntegrity(): Promise<boolean>;
}

declare global {
  interface Window {
    __tavern?: TavernTestHook;
  }
}

export function installTestHook(conn: TavernConnection, scene: SpaceScene): void {
  window.__tavern = {
    status: () => conn.status,
    playerId: () => conn.session?.playerId,
    code: () => conn.room?.state?.code,
    sceneReady: () => scene.ready,
    avatars: () => (scene.ready ? scene.rendered() : []),
    resyncs: () => conn.resyncs,
    integrityChecks: () => conn.integrityChecks,
    checkIntegrity: () => conn.checkIntegrity(),
  };
}
