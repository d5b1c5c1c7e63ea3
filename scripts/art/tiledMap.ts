/**
 * The space's map in Tiled's JSON format (orthogonal, one embedded tileset), made from the layout
 * the server moves avatars on (shared/src/spaceMap.ts): the two can only disagree if this file's
 * output is stale, which a unit test catches. Layers: floor (planks and the rug), walls, props.
 */
import { TILE_SIZE, type SpaceMap, type TileKind } from "@tavern/shared/spaceMap";
import { BLOCKING_TILES, TILESET_COLUMNS, TILE_NAMES, type TileName } from "./tileArt";

export const TILESET_NAME = "tavern";
export const TILESET_IMAGE = "tiles.png";
const FIRST_GID = 1;

interface TiledProperty {
  name: string;
  type: "bool" | "string";
  value: boolean | string;
}

export interface TiledLayer {
  id: number;
  name: string;
  type: "tilelayer";
  width: number;
  height: number;
  x: 0;
  y: 0;
  opacity: 1;
  visible: true;
  /** Global tile ids, row by row; 0 is no tile. */
  data: number[];
}

export interface TiledTileset {
  firstgid: number;
  name: string;
  image: string;
  imagewidth: number;
  imageheight: number;
  tilewidth: number;
  tileheight: number;
  tilecount: number;
  columns: number;
  margin: 0;
  spacing: 0;
  tiles: { id: number; type: string; properties?: TiledProperty[] }[];
}

export interface TiledMap {
  type: "map";
  version: string;
  tiledversion: string;
  orientation: "orthogonal";
  renderorder: "right-down";
  infinite: false;
  width: number;
  height: number;
  tilewidth: number;
  tileheight: number;
  nextlayerid: number;
  nextobjectid: number;
  compressionlevel: -1;
  layers: TiledLayer[];
  tilesets: TiledTileset[];
}

const gid = (name: TileName): number => FIRST_GID + TILE_NAMES.indexOf(name);

function floorTile(map: SpaceMap, col: number, row: number): TileName {
  const kind = (c: number, r: number): TileKind | undefined => map.kinds[r]?.[c];
  if (kind(col, row) === "rug") {
    const top = kind(col, row - 1) !== "rug";
    const bottom = kind(col, row + 1) !== "rug";
    const left = kind(col - 1, row) !== "rug";
    const right = kind(col + 1, row) !== "rug";
    const v = top ? "Top" : bottom ? "Bottom" : "";
    const h = left ? "Left" : right ? "Right" : "";
    return (v || h ? `rug${v}${h}` : "rugMiddle") as TileName;
  }
  // Planks vary from tile to tile, by position (no randomness: the file is reproducible).
  const variant = (col * 7 + row * 13) % 5;
  return variant === 0 ? "floorB" : variant === 3 ? "floorC" : "floorA";
}

function wallTile(map: SpaceMap, col: number, row: number): TileName | undefined {
  if (map.kinds[row]![col] !== "wall") return undefined;
  // A wall with floor below shows its face to the room; any other wall shows its top.
  const below = map.kinds[row + 1]?.[col];
  return below !== undefined && below !== "wall" ? "wallFront" : "wallTop";
}

function propTile(kind: TileKind): TileName | undefined {
  return kind === "tableLeft" || kind === "tableRight" || kind === "barrel" ? kind : undefined;
}

function layer(id: number, name: string, map: SpaceMap, tileAt: (col: number, row: number) => TileName | undefined): TiledLayer {
  const data: number[] = [];
  for (let row = 0; row < map.rows; row++) for (let col = 0; col < map.cols; col++) data.push(((t) => (t ? gid(t) : 0))(tileAt(col, row)));
  return { id, name, type: "tilelayer", width: map.cols, height: map.rows, x: 0, y: 0, opacity: 1, visible: true, data };
}

export function buildTiledMap(map: SpaceMap): TiledMap {
  const rows = Math.ceil(TILE_NAMES.length / TILESET_COLUMNS);
  const tiles = TILE_NAMES.map((name, id) =>
    BLOCKING_TILES.has(name)
      ? { id, type: name, properties: [{ name: "blocked", type: "bool" as const, value: true }] }
      : { id, type: name },
  );
  const layers = [
    layer(1, "floor", map, (c, r) => floorTile(map, c, r)),
    layer(2, "walls", map, (c, r) => wallTile(map, c, r)),
    layer(3, "props", map, (c, r) => propTile(map.kinds[r]![c]!)),
  ];
  return {
    type: "map",
    version: "1.10",
    tiledversion: "1.10.2",
    orientation: "orthogonal",
    renderorder: "right-down",
    infinite: false,
    width: map.cols,
    height: map.rows,
    tilewidth: TILE_SIZE,
    tileheight: TILE_SIZE,
    nextlayerid: layers.length + 1,
    nextobjectid: 1,
    compressionlevel: -1,
    layers,
    tilesets: [
      {
        firstgid: FIRST_GID,
        name: TILESET_NAME,
        image: TILESET_IMAGE,
        imagewidth: TILESET_COLUMNS * TILE_SIZE,
        imageheight: rows * TILE_SIZE,
        tilewidth: TILE_SIZE,
        tileheight: TILE_SIZE,
        tilecount: TILE_NAMES.length,
        columns: TILESET_COLUMNS,
        margin: 0,
        spacing: 0,
        tiles,
      },
    ],
  };
}

/**
 * Which tiles of a Tiled map block movement: a tile blocks when any layer there holds a tile whose
 * tileset entry has the `blocked` property. Reads only the JSON, as any Tiled-aware tool would.
 */
export function blockedTiles(tiled: TiledMap): boolean[][] {
  const blocking = new Set<number>();
  for (const set of tiled.tilesets)
    for (const tile of set.tiles)
      if (tile.properties?.some((p) => p.name === "blocked" && p.value === true)) blocking.add(set.firstgid + tile.id);
  const blocked = Array.from({ length: tiled.height }, () => Array<boolean>(tiled.width).fill(false));
  for (const l of tiled.layers)
    l.data.forEach((g, i) => {
      if (blocking.has(g)) blocked[Math.floor(i / tiled.width)]![i % tiled.width] = true;
    });
  return blocked;
}
