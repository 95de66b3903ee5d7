import { forwardRef, type AnchorHTMLAttributes } from 'react';
import { createLink } from '@tanstack/react-router';

type AnchorProps = AnchorHTMLAttributes<HTMLAnchorElement> & { 'data-status'?: string };

/**
 * The app's link: TanStack's Link without its automatic aria-current (issue #13 item 5). TanStack marks
 * every link to the current page or to any of its parents as the current page, so a page had several
 * (the brand, the menu, the breadcrumb, the case tabs). Here aria-current is only what a component sets
 * explicitly through `current` (the side menu, the case tabs): one current page at a time.
 */
const Anchor = forwardRef<HTMLAnchorElement, AnchorProps & { current?: boolean }>(function Anchor(
  { current, 'aria-current': _automatic, 'data-status': _status, ...rest },
  ref,
) {
  return <a ref={ref} {...rest} aria-current={current ? 'page' : undefined} />;
});

export const Link = createLink(Anchor);
