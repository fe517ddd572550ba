import { useState } from "react";
import { useT } from "~/utils/i18n";
import { translateError } from "~/i18n/translate";
import { FieldErrors } from "./field";

/** Stars as a picture for the eye and one sentence for screen readers ("4.5 out of 5 stars"). */
export function StarDisplay({ value, size = "md" }: { value: number | null; size?: "sm" | "md" | "lg" }) {
  const t = useT();
  const rounded = value === null ? 0 : Math.round(value * 2) / 2;
  return (
    <span className={`stars stars--${size}`} role="img" aria-label={value === null ? t("review.noRating") : t("review.starsOutOf5", { value: formatStars(value) })}>
      {[1, 2, 3, 4, 5].map((n) => (
        <span key={n} aria-hidden="true" className={rounded >= n ? "star star--full" : rounded >= n - 0.5 ? "star star--half" : "star"}>
          ★
        </span>
      ))}
    </span>
  );
}

export function formatStars(value: number) {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

/**
 * Choosing 1 to 5 stars: a real radio group (arrow keys move, one tab stop),
 * drawn as stars. Works without JavaScript.
 */
export function StarRatingInput({ name, defaultValue, errors, legend }: { name: string; defaultValue?: number; errors?: string[]; legend: string }) {
  const t = useT();
  const [value, setValue] = useState(defaultValue ?? 0);
  const errorId = `${name}-error`;
  return (
    <fieldset className="star-input" aria-describedby={errors?.length ? errorId : undefined} aria-invalid={errors?.length ? true : undefined}>
      <legend>{legend}</legend>
      <div className="star-input__options">
        {[1, 2, 3, 4, 5].map((n) => (
          <label key={n} className={value >= n ? "star-input__option star-input__option--on" : "star-input__option"}>
            <input
              type="radio"
              name={name}
              value={n}
              className="visually-hidden"
              defaultChecked={defaultValue === n}
              onChange={() => setValue(n)}
              required
            />
            <span aria-hidden="true" className="star">
              ★
            </span>
            <span className="visually-hidden">{t("review.starsChoice", { count: n })}</span>
          </label>
        ))}
        <span className="muted star-input__label" aria-hidden="true">
          {value ? t(`review.starWord.${value as 1 | 2 | 3 | 4 | 5}`) : ""}
        </span>
      </div>
      <FieldErrors id={errorId} errors={errors} translate={(e) => translateError(t, e)} />
    </fieldset>
  );
}

/**
 * The star distribution: a bar per star count, each a link that filters the
 * reviews, with its count and share written out (not only drawn).
 */
export function RatingHistogram({
  histogram,
  total,
  linkFor,
  current,
}: {
  histogram: { stars: number; count: number }[];
  total: number;
  linkFor: (stars: number) => string;
  current: number | null;
}) {
  const t = useT();
  return (
    <table className="histogram">
      <caption className="visually-hidden">{t("review.histogramCaption")}</caption>
      <thead className="visually-hidden">
        <tr>
          <th scope="col">{t("review.stars")}</th>
          <th scope="col">{t("review.share")}</th>
          <th scope="col">{t("review.count")}</th>
        </tr>
      </thead>
      <tbody>
        {histogram.map(({ stars, count }) => {
          const share = total ? Math.round((count / total) * 100) : 0;
          return (
            <tr key={stars} className={current === stars ? "histogram__row histogram__row--current" : "histogram__row"}>
              <th scope="row">
                {count ? (
                  <a href={linkFor(stars)} aria-current={current === stars ? "true" : undefined}>
                    {t("review.nStars", { count: stars })}
                  </a>
                ) : (
                  t("review.nStars", { count: stars })
                )}
              </th>
              <td>
                <meter className="histogram__bar" min={0} max={total || 1} value={count} aria-label={t("review.histogramBar", { count: stars, share })} />{" "}
                <span className="histogram__share">{share}%</span>
              </td>
              <td className="histogram__count">{count}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
