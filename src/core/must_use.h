/* SLS_MUST_USE: marks a function whose result must be handled (a status of
 * parsing, formatting, verifying). Ignoring it is a compile error under
 * -Werror; a cast to void does not silence it. */
#ifndef SLS_CORE_MUST_USE_H
#define SLS_CORE_MUST_USE_H

#define SLS_MUST_USE __attribute__((warn_unused_result))

#endif
