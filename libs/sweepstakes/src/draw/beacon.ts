import { Injectable, Logger } from '@nestjs/common';
import {
  type ChainClient,
  type ChainInfo,
  fetchBeacon,
  HttpChainClient,
  type RandomnessBeacon,
} from 'drand-client';
import { type AppConfig, Clock, ConflictError, InjectConfig, ServiceUnavailableError } from '@fittrack/core';

/** A drand chain as configuration pins it (fair-draw.md, The beacon, pinned). */
export interface PinnedChain {
  chainHash: string;
  publicKey: string;
  periodSeconds: number;
  genesisTime: number;
  scheme: string;
}

export interface BeaconRound {
  round: number;
  randomness: string;
  signature: string;
}

/** The first round emitted at or after `time`: the smallest r with genesis + (r − 1)·period ≥ t. */
export function roundAt(time: Date, chain: PinnedChain): number {
  const seconds = time.getTime() / 1000;
  return Math.max(1, Math.ceil((seconds - chain.genesisTime) / chain.periodSeconds) + 1);
}

/** When round `round` is emitted. */
export function roundTime(round: number, chain: PinnedChain): Date {
  return new Date((chain.genesisTime + (round - 1) * chain.periodSeconds) * 1000);
}

/** drand-client's chain info, from the pinned values only (never fetched from the network). */
function chainInfo(chain: PinnedChain): ChainInfo {
  return {
    public_key: chain.publicKey,
    period: chain.periodSeconds,
    genesis_time: chain.genesisTime,
    hash: chain.chainHash,
    groupHash: '',
    schemeID: chain.scheme,
    metadata: { beaconID: '' },
  };
}

/** A drand-client ChainClient whose chain info is the pinned one; `get` is where the round comes from. */
function pinnedClient(chain: PinnedChain, get: (round: number) => Promise<RandomnessBeacon>): ChainClient {
  const info = chainInfo(chain);
  const options = {
    disableBeaconVerification: false,
    noCache: false,
    chainVerificationParams: { chainHash: chain.chainHash, publicKey: chain.publicKey },
  };
  return {
    options,
    get,
    latest: () => Promise.reject(new Error('only fixed rounds are used')),
    chain: () => ({ baseUrl: '', info: () => Promise.resolve(info) }),
  };
}

/**
 * Whether `beacon` is round `round` of the pinned chain: drand-client checks the round number, that the
 * randomness is SHA-256 of the signature, and the BLS signature against the pinned public key.
 */
export async function verifyRound(chain: PinnedChain, beacon: BeaconRound, round: number): Promise<boolean> {
  try {
    await fetchBeacon(
      pinnedClient(chain, () => Promise.resolve(beacon)),
      round,
    );
    return true;
  } catch {
    return false;
  }
}

/** The round is not out yet (or the beacon cannot be reached): the draw waits; 409 for an admin. */
export class BeaconNotAvailableError extends ConflictError {
  constructor(round: number, at: Date, reason?: string) {
    super(
      `Beacon round not yet available: round ${round} is emitted at ${at.toISOString()}` +
        (reason ? ` (${reason})` : ''),
    );
  }
}

/**
 * The drand beacon (fair-draw.md): the round a drawing will use, published at scheduling, and the round
 * itself, fetched and verified at the draw against the pinned chain. A round that does not verify is never
 * used: the error says so and the drawing stays closed.
 */
@Injectable()
export class BeaconService {
  private readonly logger = new Logger(BeaconService.name);

  constructor(
    @InjectConfig() private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** Whether drawings get a beacon (BEACON_URL set). */
  get configured(): boolean {
    return Boolean(this.config.beacon.url);
  }

  get chain(): PinnedChain {
    return this.config.beacon;
  }

  /** The round a drawing drawn at `drawingTime` uses. */
  roundFor(drawingTime: Date): number {
    return roundAt(drawingTime, this.chain);
  }

  /** Fetches round `round` from BEACON_URL and verifies it; BeaconNotAvailableError when it is not out. */
  async fetch(round: number): Promise<BeaconRound> {
    const at = roundTime(round, this.chain);
    if (!this.config.beacon.url) {
      throw new ServiceUnavailableError(`Beacon round ${round} is needed but BEACON_URL is not set`);
    }
    if (this.clock.now() < at) throw new BeaconNotAvailableError(round, at);
    const http = new HttpChainClient(
      {
        baseUrl: this.config.beacon.url!.replace(/\/+$/, ''),
        info: () => Promise.resolve(chainInfo(this.chain)),
      },
      { disableBeaconVerification: true, noCache: false },
    );
    let beacon: RandomnessBeacon;
    try {
      beacon = await withTimeout(http.get(round), this.config.beacon.timeoutMs);
    } catch (error) {
      // Published late or the network is down: the next tick tries again.
      this.logger.warn(`Beacon round ${round} not fetched: ${(error as Error).message}`);
      throw new BeaconNotAvailableError(round, at, 'the beacon did not answer with it yet');
    }
    const fetched = {
      round: Number(beacon.round),
      randomness: beacon.randomness,
      signature: beacon.signature,
    };
    if (!(await verifyRound(this.chain, fetched, round))) {
      // Fail closed: never draw with a round that does not verify; the drawing stays closed.
      throw new ServiceUnavailableError(`Beacon round ${round} failed verification against the pinned chain`);
    }
    return fetched;
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
