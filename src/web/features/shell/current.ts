import { createContext, useContext, useLayoutEffect } from 'react';

/**
 * One current page at a time (issue #13 item 5): the side menu marks its entry with aria-current="page",
 * unless the page has a sub-navigation of its own (the case tabs) that marks the current tab; then the
 * menu only highlights its entry. A layout effect, so that two marks are never in the DOM at once.
 */
export const SubNavContext = createContext<(owns: boolean) => void>(() => {});

/** Called by a sub-navigation that carries aria-current itself. */
export function useSubNavOwnsCurrent() {
  const set = useContext(SubNavContext);
  useLayoutEffect(() => {
    set(true);
    return () => set(false);
  }, [set]);
}
