import { type AwsCallContext, unexpectedResponse } from './error-mapping';

export interface MarkerPage<T> {
  readonly items: readonly T[];
  readonly isTruncated: boolean;
  readonly marker: string | undefined;
}

/**
 * Follows IAM's Marker/IsTruncated pagination to the end. A truncated page without a marker, or a
 * marker IAM already handed out, would otherwise loop forever or silently drop users.
 */
export const collectMarkerPages = async <T>(
  context: AwsCallContext,
  fetchPage: (marker: string | undefined) => Promise<MarkerPage<T>>,
): Promise<T[]> => {
  const items: T[] = [];
  const seen = new Set<string>();
  let marker: string | undefined;
  for (;;) {
    const page = await fetchPage(marker);
    items.push(...page.items);
    if (!page.isTruncated) return items;
    if (page.marker === undefined || page.marker === '') {
      throw unexpectedResponse(context, 'IsTruncated is true but there is no Marker');
    }
    if (seen.has(page.marker)) {
      throw unexpectedResponse(context, 'the same pagination Marker came back twice');
    }
    seen.add(page.marker);
    marker = page.marker;
  }
};
