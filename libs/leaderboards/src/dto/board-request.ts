import type { ArgumentMetadata } from '@nestjs/common';
import { createValidationPipe } from '@fittrack/core';
import { BoardQueryDto, PeriodParamDto } from './leaderboard.dto';

/** Distinct valid request lines remembered (then forgotten all at once): a few per board in practice. */
const REMEMBERED = 1_000;

export interface BoardRequest {
  period: PeriodParamDto['period'];
  query: Readonly<BoardQueryDto>;
}

/**
 * The board route's period and query, validated by the app's own ValidationPipe against PeriodParamDto
 * and BoardQueryDto (the rules stay on the DTOs; bad input is the same 422), once per distinct request
 * line: boards are read with a handful of distinct queries, and class-transformer plus class-validator
 * cost ~6 % of a cached read's CPU (docs/benchmarks.md). Only valid results are remembered.
 */
export class BoardRequests {
  private readonly pipe = createValidationPipe();
  private readonly valid = new Map<string, BoardRequest>();

  /**
   * `rawQuery`: the query string as sent, the memo's key with the period; `query`: parses it (Express's
   * query parser, ~2 % of a cached read's CPU), called only for a line not seen yet.
   */
  async parse(period: string, rawQuery: string, query: () => unknown): Promise<BoardRequest> {
    const key = `${period}?${rawQuery}`;
    const known = this.valid.get(key);
    if (known) return known;
    const param: ArgumentMetadata = { type: 'param', metatype: PeriodParamDto };
    const parsed: BoardRequest = {
      period: ((await this.pipe.transform({ period }, param)) as PeriodParamDto).period,
      query: Object.freeze(
        (await this.pipe.transform(query(), { type: 'query', metatype: BoardQueryDto })) as BoardQueryDto,
      ),
    };
    if (this.valid.size >= REMEMBERED) this.valid.clear();
    this.valid.set(key, parsed);
    return parsed;
  }
}
