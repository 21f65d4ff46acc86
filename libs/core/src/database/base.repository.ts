import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { EntityManager, EntityTarget, In, ObjectLiteral, Repository, SelectQueryBuilder } from 'typeorm';
import { Clock } from '../clock/clock';
import { NotFoundError } from '../errors/domain-errors';
import type { ListQueryDto, Page } from '../http/list-query.dto';

export type FilterApplier<E extends ObjectLiteral> = (qb: SelectQueryBuilder<E>, value: string) => void;

/** What a list endpoint may filter and sort by: wire names mapped to entity properties. */
export interface ListSpec<E extends ObjectLiteral> {
  /** wire field → entity property (equality), or a function adding its own condition */
  filters: Record<string, string | FilterApplier<E>>;
  /** wire field → entity property */
  sorts: Record<string, string>;
  /** e.g. `-created_at` */
  defaultSort: string;
}

/** A validated list query as it came in: ListQueryDto plus its `filter`, in the ListSpec's wire names. */
export type ListRequest = Pick<ListQueryDto, 'page' | 'per_page' | 'sort'> & { filter?: object };

export const LIST_ALIAS = 'e';

type Direction = 'ASC' | 'DESC';
type Ordering = [property: string, direction: Direction];
// Every engine here flips NULL placement with the direction, so a reversed order is the exact mirror.
const REVERSED: Record<Direction, Direction> = { ASC: 'DESC', DESC: 'ASC' };

/**
 * Counting a large filtered set costs more than fetching its page (a full index scan per request). Totals
 * at or above this size are reused for a few seconds, per query and parameters; smaller ones are always
 * exact, so a total only lags where a few seconds make no visible difference.
 */
const CACHED_COUNT_MIN = 10_000;
const CACHED_COUNT_TTL_MS = 5_000;

/** What every repository is built on: the current transaction (if any) and the clock. */
@Injectable()
export class DataContext {
  constructor(
    readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    readonly clock: Clock,
  ) {}
}

/**
 * Typed get/list/create/update/soft delete over one aggregate. Subclasses add the aggregate's own
 * queries. Every query runs on the EntityManager of the current unit of work (UnitOfWork.run), or
 * outside a transaction when there is none, so repositories never open transactions of their own.
 */
export abstract class BaseRepository<E extends ObjectLiteral & { id: string }> {
  protected abstract readonly entityName: string;
  private readonly countCache = new Map<string, { total: number; expires: number }>();

  constructor(
    protected readonly data: DataContext,
    private readonly target: EntityTarget<E>,
    protected readonly listSpec?: ListSpec<E>,
  ) {}

  /** The EntityManager of the current transaction, or the shared one outside a transaction. */
  protected get manager(): EntityManager {
    return this.data.txHost.tx;
  }

  protected get repository(): Repository<E> {
    return this.manager.getRepository(this.target);
  }

  get(id: string): Promise<E | null> {
    return this.repository.findOneBy({ id } as never);
  }

  async getOrFail(id: string): Promise<E> {
    const entity = await this.get(id);
    if (!entity) throw new NotFoundError(this.entityName);
    return entity;
  }

  /**
   * One page. The page's ids come from an index-friendly query that selects ids only, then the rows are
   * loaded by id (a deferred join), so deep pages do not drag whole rows through the offset. Pages past
   * the middle are read from the nearer end, in reverse order, so no request skips more than half the set.
   */
  async list(request: ListRequest, scope?: (qb: SelectQueryBuilder<E>) => void): Promise<Page<E>> {
    const qb = this.repository.createQueryBuilder(LIST_ALIAS);
    scope?.(qb);
    this.applyFilters(qb, request.filter);
    const { ids, total } = await this.idsAndTotal(qb, this.orderings(request.sort), request);
    const rows = ids.length ? await this.loadByIds(ids) : [];
    const byId = new Map(rows.map((row) => [row.id, row]));
    return {
      data: ids.map((id) => byId.get(id)).filter((row): row is E => row !== undefined),
      meta: {
        page: request.page,
        per_page: request.per_page,
        total,
        total_pages: Math.ceil(total / request.per_page),
      },
    };
  }

  /**
   * The page's ids and the set's total. A first page shorter than a page is the whole set, so the most
   * common list (page 1 of a short set) costs no count query; a full one is counted after it.
   */
  private async idsAndTotal(
    qb: SelectQueryBuilder<E>,
    orderings: Ordering[],
    request: ListRequest,
  ): Promise<{ ids: string[]; total: number }> {
    if (request.page === 1) {
      // A first page reads from the start whatever the total, so it needs none yet.
      const ids = await this.pageIds(qb, orderings, request, Number.POSITIVE_INFINITY);
      return { ids, total: ids.length < request.per_page ? ids.length : await this.count(qb) };
    }
    const total = await this.count(qb);
    return { ids: await this.pageIds(qb, orderings, request, total), total };
  }

  private async pageIds(
    qb: SelectQueryBuilder<E>,
    orderings: Ordering[],
    { page, per_page: perPage }: ListRequest,
    total: number,
  ): Promise<string[]> {
    const offset = (page - 1) * perPage;
    if (offset >= total) return [];
    const fromEnd = offset > total / 2;
    // From the end: the page's last row is `total - offset - perPage` rows before the end (a short last page
    // starts at the end itself).
    const skip = fromEnd ? Math.max(0, total - offset - perPage) : offset;
    const take = fromEnd ? Math.min(perPage, total - offset) : perPage;
    const idsQuery = qb.clone().select(`${LIST_ALIAS}.id`, 'id').offset(skip).limit(take);
    for (const [property, direction] of orderings) {
      idsQuery.addOrderBy(`${LIST_ALIAS}.${property}`, fromEnd ? REVERSED[direction] : direction);
    }
    const ids = (await idsQuery.getRawMany<{ id: string }>()).map((row) => row.id);
    return fromEnd ? ids.reverse() : ids;
  }

  private async count(qb: SelectQueryBuilder<E>): Promise<number> {
    const [sql, parameters] = qb.getQueryAndParameters();
    const key = `${sql}|${JSON.stringify(parameters)}`;
    const cached = this.countCache.get(key);
    if (cached && cached.expires > performance.now()) return cached.total;
    const total = await qb.getCount();
    if (total >= CACHED_COUNT_MIN) {
      if (this.countCache.size >= 100) this.countCache.clear();
      this.countCache.set(key, { total, expires: performance.now() + CACHED_COUNT_TTL_MS });
    } else this.countCache.delete(key);
    return total;
  }

  /** Loads a page's rows; subclasses add the relations their responses need. */
  protected loadByIds(ids: string[]): Promise<E[]> {
    return this.repository.findBy({ id: In(ids) } as never);
  }

  create(data: Partial<E>): Promise<E> {
    return this.repository.save(this.repository.create(data as never) as unknown as E);
  }

  async update(id: string, patch: Partial<E>): Promise<E> {
    const entity = await this.getOrFail(id);
    return this.repository.save(this.repository.merge(entity, patch as never));
  }

  /** Sets `deleted_at` (from the clock) on a row not yet deleted. */
  async softDelete(id: string): Promise<void> {
    const result = await this.repository
      .createQueryBuilder()
      .update()
      .set({ deletedAt: this.data.clock.now() } as never)
      .where('id = :id AND deleted_at IS NULL', { id })
      .execute();
    if (!result.affected) throw new NotFoundError(this.entityName);
  }

  private applyFilters(qb: SelectQueryBuilder<E>, filter: object | undefined): void {
    const filters = this.listSpec?.filters ?? {};
    for (const [field, value] of Object.entries(filter ?? {})) {
      const apply = filters[field];
      if (value === undefined || apply === undefined) continue;
      if (typeof apply === 'function') apply(qb, String(value));
      else qb.andWhere(`${LIST_ALIAS}.${apply} = :filter_${field}`, { [`filter_${field}`]: value });
    }
  }

  /** Requested sort fields, then the id as a tiebreaker so pages are stable. */
  private orderings(sort: string | undefined): Ordering[] {
    const spec = this.listSpec;
    if (!spec) return [['id', 'ASC']];
    const tokens = (sort || spec.defaultSort).split(',').map((token) => token.trim());
    const orderings = tokens.map((token): Ordering => {
      const descending = token.startsWith('-');
      return [spec.sorts[descending ? token.slice(1) : token], descending ? 'DESC' : 'ASC'];
    });
    return [...orderings, ['id', orderings.at(-1)?.[1] ?? 'ASC']];
  }
}
