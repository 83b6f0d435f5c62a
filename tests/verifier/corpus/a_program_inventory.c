// EXPECT: accept
// A realistic C program in the subset (also the timing sample for
// docs/verifier.md): a fixed-capacity inventory with parsing, sorting,
// lookup and report output, using only fixed-size arrays, constant-bounded
// loops, allowlisted libc calls and explicit function-pointer tables.
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define MAX_ITEMS 64
#define NAME_LEN 24

struct item {
  char name[NAME_LEN];
  int quantity;
  int price_cents;
  int category;
};

struct inventory {
  struct item items[MAX_ITEMS];
  int count;
};

enum category { CAT_TOOL, CAT_PART, CAT_FOOD, CAT_COUNT };

static const char *const category_names[CAT_COUNT] = {"tool", "part",
                                                      "food"};

static struct inventory stock;

static int name_equal(const char (*a)[NAME_LEN], const char (*b)[NAME_LEN]) {
  return strncmp(*a, *b, NAME_LEN) == 0;
}

static void copy_name(char (*dst)[NAME_LEN], const char *src) {
  memset(*dst, 0, NAME_LEN);
  size_t n = strnlen(src, NAME_LEN - 1);
  memcpy(*dst, src, n);
}

static int add_item(struct inventory *inv, const char *name, int qty,
                    int price, int category) {
  if (inv->count >= MAX_ITEMS || qty < 0 || price < 0)
    return -1;
  if (category < 0 || category >= CAT_COUNT)
    return -1;
  struct item *it = &inv->items[inv->count];
  copy_name(&it->name, name);
  it->quantity = qty;
  it->price_cents = price;
  it->category = category;
  inv->count++;
  return inv->count - 1;
}

static int find_item(const struct inventory *inv, const char *name) {
  char key[NAME_LEN];
  copy_name(&key, name);
  for (int i = 0; i < inv->count && i < MAX_ITEMS; ++i)
    if (name_equal(&inv->items[i].name, &key))
      return i;
  return -1;
}

static long total_value(const struct inventory *inv) {
  long total = 0;
  for (int i = 0; i < inv->count && i < MAX_ITEMS; ++i)
    total += (long)inv->items[i].quantity * inv->items[i].price_cents;
  return total;
}

static int by_quantity(const struct item *a, const struct item *b) {
  return a->quantity - b->quantity;
}

static int by_price(const struct item *a, const struct item *b) {
  return a->price_cents - b->price_cents;
}

typedef int (*item_order)(const struct item *, const struct item *);

static const item_order orders[2] = {&by_quantity, &by_price};

// Insertion sort over the fixed array: indexes stay inside MAX_ITEMS and
// -fsanitize=bounds traps anything else.
static void sort_items(struct inventory *inv, int order) {
  item_order cmp = orders[order & 1];
  for (int i = 1; i < inv->count && i < MAX_ITEMS; ++i) {
    struct item key = inv->items[i];
    int j = i - 1;
    while (j >= 0 && cmp(&inv->items[j], &key) > 0) {
      inv->items[j + 1] = inv->items[j];
      --j;
    }
    inv->items[j + 1] = key;
  }
}

static int parse_int(const char (*text)[16], int *out) {
  int value = 0;
  int seen = 0;
  for (int i = 0; i < 16; ++i) {
    char c = (*text)[i];
    if (c == '\0')
      break;
    if (c < '0' || c > '9')
      return -1;
    value = value * 10 + (c - '0');
    seen = 1;
  }
  if (!seen)
    return -1;
  *out = value;
  return 0;
}

static int restock(struct inventory *inv, const char *name,
                   const char (*amount)[16]) {
  int index = find_item(inv, name);
  int qty = 0;
  if (index < 0 || parse_int(amount, &qty) != 0)
    return -1;
  inv->items[index].quantity += qty;
  return inv->items[index].quantity;
}

static void print_item(const struct item *it) {
  const char *cat = "?";
  if (it->category >= 0 && it->category < CAT_COUNT)
    cat = category_names[it->category];
  printf("%-*s %5d x %6d.%02d  [%s]\n", NAME_LEN, it->name, it->quantity,
         it->price_cents / 100, it->price_cents % 100, cat);
}

static void report(const struct inventory *inv) {
  int per_category[CAT_COUNT] = {0};
  for (int i = 0; i < inv->count && i < MAX_ITEMS; ++i) {
    print_item(&inv->items[i]);
    per_category[inv->items[i].category]++;
  }
  for (int c = 0; c < CAT_COUNT; ++c)
    printf("%s: %d\n", category_names[c], per_category[c]);
  printf("total value: %ld cents\n", total_value(inv));
}

int main(void) {
  add_item(&stock, "hammer", 4, 1299, CAT_TOOL);
  add_item(&stock, "bolt-m6", 250, 12, CAT_PART);
  add_item(&stock, "washer", 500, 3, CAT_PART);
  add_item(&stock, "coffee", 12, 899, CAT_FOOD);
  add_item(&stock, "wrench", 7, 1599, CAT_TOOL);

  const char amount[16] = "40";
  if (restock(&stock, "washer", &amount) < 0)
    return 1;
  sort_items(&stock, 0);
  report(&stock);
  sort_items(&stock, 1);
  report(&stock);
  fflush(stdout);
  return getpid() > 0 ? 0 : 1;
}
