// Elasticsearch counts only data nodes as shard destinations and as awareness values: a dedicated
// master or coordinating node holds no shards and does not make a zone "present" (F1).

/** A node's roles as `_nodes` reports them; undefined when the engine did not say. */
export interface HasRoles {
  roles?: string[];
}

/** True for nodes that can hold shards: the `data` role or any data tier role (`data_hot`, ...). */
export function isDataNode(node: HasRoles): boolean {
  return node.roles === undefined || node.roles.some((role) => role === 'data' || role.startsWith('data_'));
}

export function isMasterEligible(node: HasRoles): boolean {
  return node.roles?.includes('master') ?? false;
}
