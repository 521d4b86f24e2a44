// An RxJS observable's latest value as React state (BehaviorSubjects and status$ streams of the terminal).
import { useEffect, useState } from 'react';
import type { Observable } from 'rxjs';

export function useObservable<T>(source: Observable<T>, initial: T | (() => T)): T {
  const [value, setValue] = useState<T>(initial);
  useEffect(() => {
    const subscription = source.subscribe(setValue);
    return () => subscription.unsubscribe();
  }, [source]);
  return value;
}
