import "server-only";
import { sql } from "@/db/client";
import { GENESIS_HASH, type ChainPoint } from "./chain";

/** An organization's chain head and checkpoint, read together. */
export async function readChainState(organizationId: string): Promise<{ head: ChainPoint; checkpoint: ChainPoint }> {
  const [chain] = await sql()<{ chain_seq: string; chain_hash: string; checkpoint_seq: string; checkpoint_hash: string }[]>`
    select chain_seq, chain_hash, checkpoint_seq, checkpoint_hash from event_chains where organization_id = ${organizationId}`;
  // No row yet: the organization has had no event.
  if (!chain) return { head: { seq: 0, hash: GENESIS_HASH }, checkpoint: { seq: 0, hash: GENESIS_HASH } };
  return { head: { seq: Number(chain.chain_seq), hash: chain.chain_hash }, checkpoint: { seq: Number(chain.checkpoint_seq), hash: chain.checkpoint_hash } };
}

/**
 * Adds `Orgtrail-Chain-Head` and `Orgtrail-Chain-Checkpoint` (`<seq>:<hash>`) to
 * an export download, read before its rows: an unfiltered export holds the head
 * event (and may hold later ones) and starts right after the checkpoint. A
 * caller who keeps the head learns of a rewind from `/verify?expect_head=`.
 */
export async function withChainHeaders(organizationId: string, respond: () => Promise<Response>): Promise<Response> {
  const { head, checkpoint } = await readChainState(organizationId);
  const response = await respond();
  if (response.ok) {
    response.headers.set("orgtrail-chain-head", `${head.seq}:${head.hash}`);
    response.headers.set("orgtrail-chain-checkpoint", `${checkpoint.seq}:${checkpoint.hash}`);
  }
  return response;
}
